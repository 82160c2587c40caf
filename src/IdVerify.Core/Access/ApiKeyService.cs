using System.Globalization;
using System.Text.RegularExpressions;

namespace IdVerify.Core.Access;

/// <summary>
/// Issues, lists and revokes API keys with the same rules for the CLI (<c>idverify keys</c>) and the service
/// (<c>/v1/admin/keys</c>): names like subject ids, scopes from <see cref="ApiKeyScopes"/>, an optional expiry in the future.
/// </summary>
public sealed partial class ApiKeyService(IApiKeyStore store, TimeProvider time)
{
    /// <summary>The name of the key the service creates on its first start.</summary>
    public const string InitialKeyName = "initial";

    public async Task<IssuedApiKey> CreateAsync(string name, IReadOnlyCollection<string> scopes, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default)
    {
        if (!ValidName().IsMatch(name ?? ""))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"Key name '{name}' must be 1 to 64 of A-Z a-z 0-9 . _ : -.");
        }

        var unknown = (scopes ?? []).Where(s => !ApiKeyScopes.All.Contains(s)).ToList();
        if (scopes is not { Count: > 0 } || unknown.Count > 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                $"Scopes must be one or more of {string.Join(", ", ApiKeyScopes.All)}{(unknown.Count > 0 ? $", not '{string.Join("', '", unknown)}'" : "")}.");
        }

        var now = time.GetUtcNow();
        if (expiresAt <= now)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"The expiry {expiresAt:O} is not in the future.");
        }

        var secret = ApiKeySecret.Generate();
        var key = new ApiKey(name!, ApiKeyScopes.All.Where(scopes.Contains).ToList(), now, expiresAt);
        await store.AddAsync(key, ApiKeySecret.Hash(secret), cancellationToken);
        return new IssuedApiKey(key, secret);
    }

    /// <summary>On a store that never held a key: one key with every scope, named <see cref="InitialKeyName"/>; else null.</summary>
    public async Task<IssuedApiKey?> CreateInitialAsync(CancellationToken cancellationToken = default)
    {
        if (await store.AnyAsync(cancellationToken))
        {
            return null;
        }

        try
        {
            return await CreateAsync(InitialKeyName, ApiKeyScopes.All, null, cancellationToken);
        }
        catch (IdVerifyException ex) when (ex.Code == ErrorCodes.KeyExists)
        {
            // Another instance on the same database created it first: that instance wrote the file.
            return null;
        }
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    public async Task RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!await store.RevokeAsync(name, time.GetUtcNow(), cancellationToken))
        {
            throw new IdVerifyException(ErrorCodes.KeyNotFound, $"There is no key named '{name}'.");
        }
    }

    /// <summary>The stored key the text names, whatever its state, or null (also for text that is not a key at all).</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken = default) =>
        ApiKeySecret.IsWellFormed(presented) ? await store.FindByHashAsync(ApiKeySecret.Hash(presented), cancellationToken) : null;

    /// <summary>Comma- or space-separated scope names, as the CLI's <c>--scopes verify,enroll</c> takes them.</summary>
    public static IReadOnlyList<string> ParseScopes(string? value) =>
        (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>
    /// An expiry as an operator writes it: a lifetime (<c>90d</c>, <c>12h</c>, <c>30m</c>) from now, or an ISO 8601 date or time
    /// (UTC unless it says otherwise); empty means none.
    /// </summary>
    public static DateTimeOffset? ParseExpiry(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var lifetime = Lifetime().Match(value.Trim());
        if (lifetime.Success && int.TryParse(lifetime.Groups["n"].Value, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 36_500)
        {
            return now + lifetime.Groups["unit"].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromMinutes(n),
            };
        }

        if (!lifetime.Success && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw new IdVerifyException(ErrorCodes.InvalidRequest, $"Expiry '{value}' must be a lifetime such as 90d, 12h or 30m, or an ISO 8601 date.");
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^(?<n>[0-9]+)(?<unit>[dhm])$")]
    private static partial Regex Lifetime();
}
