using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Walks the audit chain: exit 0 when intact, 1 naming the first broken record (edited, deleted or moved), 2 on bad input.</summary>
public sealed class AuditVerifyCommand(CoreHost host) : AsyncCommand<AuditVerifyCommand.Settings>
{
    public const int Broken = 1;

    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--key <BASE64>")]
        [Description("The Audit:HmacKey the service chains records with (default: Audit:HmacKey from --config or Audit__HmacKey).")]
        public string? Key { get; init; }

        public override Dictionary<string, string?> Overrides()
        {
            var overrides = base.Overrides();
            if (Key is not null)
            {
                overrides["Audit:HmacKey"] = Key;
            }

            return overrides;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var report = await core.GetRequiredService<IAuditTrail>().VerifyChainAsync(cancellationToken);
        var chain = report.KeyId is { } keyId ? $"HMAC-SHA256 under key {keyId}" : "SHA-256 (no key)";
        if (report.Break is not { } broken)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]audit log intact[/]: {report.Records} records, chained with {chain}");
            AnsiConsole.MarkupLineInterpolated($"head: #{report.LastSequence} {report.LastHash}");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[red]audit log BROKEN at record #{broken.Sequence}[/]: {broken.Reason}");
            if (broken.Record is { } r)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"record #{r.Sequence}: {AuditChain.TimeText(r.Time)} {r.Action} {r.Outcome} subject {r.SubjectId ?? "-"} actor {r.Actor ?? "-"} request {r.RequestId ?? "-"}");
            }

            AnsiConsole.MarkupLineInterpolated($"intact up to #{report.LastSequence} {report.LastHash} (checked with {chain})");
        }

        if (report.KeyId is not null && report.UnkeyedRecords > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[yellow]note[/]: {report.UnkeyedRecords} records are chained with plain SHA-256 (written before the key was set): whoever can write the file could rewrite them.");
        }

        return report.Intact ? 0 : Broken;
    }
}
