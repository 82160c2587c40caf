using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Revokes an API key by name; a running service refuses it once its in-memory copy is older than Auth:KeyCacheTtl.</summary>
public sealed class KeysRevokeCommand(CoreHost host) : AsyncCommand<KeysRevokeCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The key's name.")]
        public string Name { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        await core.GetRequiredService<ApiKeyService>().RevokeAsync(settings.Name, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Revoked key '{settings.Name}'. A running service refuses it within Auth:KeyCacheTtl (10 s by default).");
        return 0;
    }
}
