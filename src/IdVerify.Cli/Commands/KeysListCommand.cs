using System.Globalization;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Lists the service's API keys: names, scopes, state and dates; never a key or its hash.</summary>
public sealed class KeysListCommand(CoreHost host) : AsyncCommand<TemplateStoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TemplateStoreSettings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var keys = await core.GetRequiredService<ApiKeyService>().ListAsync(cancellationToken);
        var now = core.GetRequiredService<TimeProvider>().GetUtcNow();
        var table = new Table().AddColumns("name", "scopes", "state", "created", "expires", "last used", "revoked");
        foreach (var key in keys)
        {
            var state = key.RevokedAt is not null ? "revoked" : key.IsUsableAt(now) ? "active" : "expired";
            table.AddRow(Markup.Escape(key.Name), Markup.Escape(string.Join(",", key.Scopes)), state, Time(key.CreatedAt), Time(key.ExpiresAt),
                Time(key.LastUsedAt), Time(key.RevokedAt));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{keys.Count} keys");
        return 0;
    }

    private static string Time(DateTimeOffset? value) => value?.ToString("u", CultureInfo.InvariantCulture) ?? "-";
}
