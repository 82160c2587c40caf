using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace IdVerify.Core.Models;

/// <summary>
/// Gives the path of a verified model file, pulling it first when it is missing. A file is only ever
/// moved into place after its sha256 matched, so a failed or interrupted pull leaves nothing behind.
/// </summary>
/// <param name="offline">pull only from the source folder, never from the manifest's origin URLs (air-gapped sites).</param>
public sealed class ModelStore(ModelLocations locations, HttpClient? http = null, bool offline = false)
{
    private readonly ConcurrentDictionary<string, string> verified = new(StringComparer.Ordinal);

    public ModelLocations Locations { get; } = locations;

    public string PathOf(ModelEntry entry) => Path.Combine(Locations.ModelDirectory, entry.File);

    public ModelFileState Check(ModelEntry entry)
    {
        var path = PathOf(entry);
        if (!File.Exists(path))
        {
            return ModelFileState.Missing;
        }

        return string.Equals(HashFile(path), entry.Sha256, StringComparison.OrdinalIgnoreCase)
            ? ModelFileState.Verified
            : ModelFileState.HashMismatch;
    }

    /// <summary>
    /// Returns the path of the file to run after checking its sha256, pulling it if missing: the entry's derived model
    /// when it declares one (computed from the verified original), else the original.
    /// </summary>
    public async Task<string> EnsureAsync(ModelEntry entry, CancellationToken cancellationToken = default)
    {
        if (verified.TryGetValue(entry.Id, out var known))
        {
            return known;
        }

        var path = PathOf(entry);
        switch (Check(entry))
        {
            case ModelFileState.Verified:
                break;
            case ModelFileState.HashMismatch:
                throw new IdVerifyException(ErrorCodes.ModelIntegrity,
                    $"Model file {path} does not match the manifest's sha256 for '{entry.Id}'; delete it and pull again.");
            default:
                await PullAsync(entry, cancellationToken);
                break;
        }

        if (entry.Derived is { } derived)
        {
            path = Derive(entry, path, derived);
        }

        verified[entry.Id] = path;
        return path;
    }

    /// <summary>The derived file beside the original: reused when its sha256 matches, else computed again and checked.</summary>
    public string Derive(ModelEntry entry, string originalPath, DerivedModel derived)
    {
        if (!string.Equals(derived.DerivedFrom, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IdVerifyException(ErrorCodes.ModelIntegrity,
                $"Model '{entry.Id}': the derived file {derived.File} is derived from {derived.DerivedFrom}, not from the entry's sha256.");
        }

        var target = Path.Combine(Locations.ModelDirectory, derived.File);
        if (File.Exists(target) && string.Equals(HashFile(target), derived.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return target;
        }

        var bytes = ModelRewrites.Apply(derived.Rewrite, File.ReadAllBytes(originalPath));
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, derived.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IdVerifyException(ErrorCodes.ModelIntegrity,
                $"Model '{entry.Id}': rewrite '{derived.Rewrite}' gave sha256 {actual}, not the manifest's {derived.Sha256}.");
        }

        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return target;
    }

    /// <summary>Fetches the file from the source folder, else from the manifest's origins, verifying sha256.</summary>
    public async Task<string> PullAsync(ModelEntry entry, CancellationToken cancellationToken = default)
    {
        var target = PathOf(entry);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var failures = new List<string>();

        if (Locations.SourceDirectory is { } source)
        {
            var candidate = Path.Combine(source, entry.File);
            if (File.Exists(candidate))
            {
                var error = await TryInstallAsync(entry, target, async (output, ct) =>
                {
                    await using var input = File.OpenRead(candidate);
                    await input.CopyToAsync(output, ct);
                }, cancellationToken);
                if (error is null)
                {
                    return target;
                }

                failures.Add($"{candidate}: {error}");
            }
            else
            {
                failures.Add($"{candidate}: not found");
            }
        }

        foreach (var origin in offline ? [] : entry.Origins)
        {
            var error = await TryInstallAsync(entry, target, async (output, ct) =>
            {
                using var client = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) } : null;
                using var response = await (http ?? client!).GetAsync(origin, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await body.CopyToAsync(output, ct);
            }, cancellationToken);
            if (error is null)
            {
                return target;
            }

            failures.Add($"{origin}: {error}");
        }

        throw new IdVerifyException(
            failures.Exists(f => f.Contains("sha256", StringComparison.Ordinal)) ? ErrorCodes.ModelIntegrity : ErrorCodes.ModelUnavailable,
            $"Could not pull model '{entry.Id}' ({entry.File}): " + string.Join("; ", failures));
    }

    private static async Task<string?> TryInstallAsync(
        ModelEntry entry, string target, Func<Stream, CancellationToken, Task> copy, CancellationToken cancellationToken)
    {
        // A unique partial name: several processes (test projects, replicas) may pull the same file at once.
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            {
                await copy(output, cancellationToken);
            }

            var actual = HashFile(partial);
            if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"sha256 mismatch (expected {entry.Sha256}, got {actual})";
            }

            File.Move(partial, target, overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or TaskCanceledException)
        {
            return ex.Message;
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
