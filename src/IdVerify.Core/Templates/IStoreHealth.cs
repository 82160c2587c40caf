namespace IdVerify.Core.Templates;

/// <summary>Whether the store can take the writes a decision needs now; each store provider supplies its own check.</summary>
public interface IStoreHealth
{
    /// <summary>Null when the store is usable, else why not (shown by /health/ready; never data from the store).</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken = default);
}
