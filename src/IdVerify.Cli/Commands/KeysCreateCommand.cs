using System.ComponentModel;
using System.Globalization;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Creates an API key in the service's database; the key is printed once, alone on the last line of standard output.</summary>
public sealed class KeysCreateCommand(CoreHost host) : AsyncCommand<KeysCreateCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--name <NAME>")]
        [Description("The key's name (1-64 of A-Z a-z 0-9 . _ : -): the caller's name in the logs and the audit log, e.g. kiosk-042.")]
        public string Name { get; init; } = "";

        [CommandOption("--scopes <SCOPES>")]
        [Description("Comma-separated: verify, enroll, subjects:reenroll, subjects:delete, audit, admin.")]
        public string Scopes { get; init; } = "";

        [CommandOption("--expires <WHEN>")]
        [Description("A lifetime (90d, 12h, 30m) or an ISO 8601 date; default: never.")]
        public string? Expires { get; init; }

        public override ValidationResult Validate() =>
            Name.Trim().Length == 0 ? ValidationResult.Error("--name is required, e.g. --name kiosk-042.")
            : Scopes.Trim().Length == 0 ? ValidationResult.Error("--scopes is required, e.g. --scopes verify.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var keys = core.GetRequiredService<ApiKeyService>();
        var expires = ApiKeyService.ParseExpiry(settings.Expires, core.GetRequiredService<TimeProvider>().GetUtcNow());
        var issued = await keys.CreateAsync(settings.Name, ApiKeyService.ParseScopes(settings.Scopes), expires, cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Created key '{issued.Key.Name}' with scopes {string.Join(", ", issued.Key.Scopes)}, expiring {issued.Key.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}.");
        AnsiConsole.MarkupLine("It is shown only now and stored only as a hash; send it as the X-Api-Key header:");
        // Plain text, alone on the last line, so a script can take it with `tail -n 1`.
        Console.Out.WriteLine(issued.Secret);
        return 0;
    }
}
