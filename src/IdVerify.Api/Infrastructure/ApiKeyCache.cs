using System.Collections.Concurrent;
using IdVerify.Core.Access;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Key lookups for the authentication handler, kept in memory for <see cref="AuthSettings.KeyCacheTtl"/> so a verify costs
/// a SHA-256 and a dictionary lookup, not a SQLite query. Expiry is checked on every request against the clock; the
/// last-used time is written at most once a minute per key, off the request path.
/// </summary>
public sealed partial class ApiKeyCache(IApiKeyStore store, TimeProvider time, IOptions<AuthSettings> settings, ILogger<ApiKeyCache> logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> touches = new();

    /// <summary>The usable key the text names, or null for unknown, malformed, revoked and expired keys.</summary>
    public async ValueTask<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsWellFormed(presented))
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(presented);
        var id = Convert.ToHexString(hash);
        var now = time.GetUtcNow();
        if (!entries.TryGetValue(id, out var entry) || now - entry.FetchedAt >= settings.Value.KeyCacheTtl || now < entry.FetchedAt)
        {
            var stored = await store.FindByHashAsync(hash, cancellationToken);
            if (stored is null)
            {
                entries.TryRemove(id, out _);
                return null;
            }

            entry = new Entry(stored, now);
            entries[id] = entry;
        }

        if (!entry.Key.IsUsableAt(now))
        {
            return null;
        }

        Touch(entry, now);
        return entry.Key;
    }

    /// <summary>Drops a key from memory at once (revoked over HTTP).</summary>
    public void Forget(string name)
    {
        foreach (var (id, entry) in entries)
        {
            if (entry.Key.Name == name)
            {
                entries.TryRemove(id, out _);
            }
        }
    }

    private void Touch(Entry entry, DateTimeOffset now)
    {
        var last = new DateTimeOffset(Interlocked.Read(ref entry.LastTouchedTicks), TimeSpan.Zero);
        if (now - last < TouchInterval || Interlocked.CompareExchange(ref entry.LastTouchedTicks, now.UtcTicks, last.UtcTicks) != last.UtcTicks)
        {
            return;
        }

        var name = entry.Key.Name;
        var touch = Task.Run(async () =>
        {
            try
            {
                await store.TouchAsync(name, now);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogTouchFailed(logger, name, ex);
            }
        });
        touches.TryAdd(touch, 0);
        touch.ContinueWith(t => touches.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Waits for last-used writes still running, so none outlives the service (or the database file).</summary>
    public async ValueTask DisposeAsync() => await Task.WhenAll(touches.Keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {Name}")]
    private static partial void LogTouchFailed(ILogger logger, string name, Exception exception);

    private sealed class Entry(ApiKey key, DateTimeOffset fetchedAt)
    {
        public long LastTouchedTicks = key.LastUsedAt?.UtcTicks ?? 0;

        public ApiKey Key { get; } = key;

        public DateTimeOffset FetchedAt { get; } = fetchedAt;
    }
}
