using System.ComponentModel;
using System.Text;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Writes the audit log as JSON Lines for a SIEM: one record per line in the exact form its hash is computed over, plus
/// <c>hash</c> and <c>prev_hash</c>, so the receiver can re-check the chain (see <see cref="AuditChain"/>).
/// </summary>
public sealed class AuditExportCommand(CoreHost host) : AsyncCommand<AuditExportCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("Output format: jsonl (one JSON object per line).")]
        public string Format { get; init; } = "jsonl";

        [CommandOption("--out <FILE>")]
        [Description("File to write (default: standard output).")]
        public string? Output { get; init; }

        [CommandOption("--after <SEQ>")]
        [Description("Only records after this sequence number (the last one a previous export ended with).")]
        public long After { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            Format != "jsonl" ? Spectre.Console.ValidationResult.Error($"--format must be jsonl, not '{Format}'.")
            : After < 0 ? Spectre.Console.ValidationResult.Error("--after must be a sequence number (0 or more).")
            : Spectre.Console.ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var trail = core.GetRequiredService<IAuditTrail>();
        var file = settings.Output is { } path ? new StreamWriter(path, append: false, new UTF8Encoding(false)) : null;
        var output = file ?? Console.Out;
        try
        {
            for (long? after = settings.After; after is { } from;)
            {
                var page = await trail.ReadAsync(new AuditFilter(), new AuditPageRequest(from, AuditPageRequest.MaxLimit), cancellationToken);
                foreach (var record in page.Records)
                {
                    await output.WriteLineAsync(AuditChain.ExportLine(record));
                }

                after = page.Next;
            }

            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }

        return 0;
    }
}
