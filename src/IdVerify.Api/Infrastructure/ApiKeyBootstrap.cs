using IdVerify.Core.Access;
using IdVerify.Core.Hosting;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// First start on a database that never held a key: creates one key with every scope and writes it to
/// <c>initial-api-key</c> in the instance's data folder (beside the SQLite file), readable by this user only (0600). The path is logged, never the key.
/// Revoke it once real keys exist (<c>idverify keys revoke initial</c>).
/// </summary>
public sealed partial class ApiKeyBootstrap(ApiKeyService keys, IServiceProvider services, IOptions<AuthSettings> settings,
    IConfiguration configuration, ILogger<ApiKeyBootstrap> logger) : IHostedService
{
    public const string FileName = "initial-api-key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Value.Mode == AuthMode.Open)
        {
            var addresses = ListenAddresses.Configured(configuration);
            LogOpenMode(logger, addresses.Count > 0 ? string.Join(", ", addresses) : "localhost");
            return;
        }

        if (await keys.CreateInitialAsync(cancellationToken) is not { } issued)
        {
            return;
        }

        var path = Path.Combine(CoreRegistration.DataDirectory(services, configuration), FileName);
        Write(path, issued.Secret);
        LogCreated(logger, issued.Key.Name, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Created with mode 0600 from the first byte, so the key is never readable by others, even briefly.</summary>
    private static void Write(string path, string secret)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.WriteLine(secret);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No API key was defined: created key '{Name}' with every scope and wrote it to {Path} (readable by this user only). Create real keys with `idverify keys create` and revoke this one.")]
    private static partial void LogCreated(ILogger logger, string name, string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth:Mode=open: every route is served without an API key, to callers on this machine only ({Addresses}). Never run a deployment like this.")]
    private static partial void LogOpenMode(ILogger logger, string addresses);
}
