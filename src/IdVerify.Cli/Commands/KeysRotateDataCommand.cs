using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Audit;
using IdVerify.Core.Hosting;
using IdVerify.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Re-seals every stored template and crop with another data key (ISO/IEC 24745 renewability). With the key file, a new
/// key id gets a new random key, saved (and made active) before any row is touched, so no row is ever sealed with a
/// key that is not on disk. With Templates:DataKeys, the key must already be configured. With PostgreSQL every row's rotated
/// search copy is renewed under the new key as well (<see cref="SearchRotation"/>).
/// </summary>
public sealed class KeysRotateDataCommand(CoreHost host) : AsyncCommand<KeysRotateDataCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--to <ID>")]
        [Description("The data key id to re-seal every row with (created in the key file when new).")]
        public string Target { get; init; } = "";

        [CommandOption("--retire")]
        [Description("After re-sealing, remove every other key from the key file.")]
        public bool Retire { get; init; }

        public override ValidationResult Validate() => System.Text.RegularExpressions.Regex.IsMatch(Target, "^[A-Za-z0-9._-]{1,64}$")
            ? ValidationResult.Success()
            : ValidationResult.Error("--to must be a key id of 1-64 letters, digits, '.', '_' or '-'.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var options = core.GetRequiredService<IOptions<TemplateOptions>>().Value;
        var ring = core.GetRequiredService<DataKeyRing>();
        var fromFile = options.DataKeys.Count == 0;
        var keyFile = DataKeySource.KeyFilePath(options, settings.Database);
        if (!ring.Ids.Contains(settings.Target))
        {
            if (!fromFile)
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest,
                    $"Data key '{settings.Target}' is not in Templates:DataKeys; add it there (and to Templates:ActiveDataKey) first.");
            }

            ring = ring.WithNewKey(settings.Target);
            ring.Save(keyFile);
        }
        else if (fromFile)
        {
            ring = ring.WithActive(settings.Target);
            ring.Save(keyFile);
        }

        // The provider's store over the new ring (PostgreSQL also renews each row's rotated search copy).
        ITemplateStore store = TemplateStoreSettings.OnPostgres(core)
            ? new PostgresTemplateStore(core.GetRequiredService<PostgresDatabase>(), ring)
            : new SqliteTemplateStore(core.GetRequiredService<SqliteDatabase>(), ring);
        var rotation = await store.RotateAsync(settings.Target, cancellationToken: cancellationToken);
        if (settings.Retire && fromFile)
        {
            ring.Retain(settings.Target).Save(keyFile);
        }

        await core.GetRequiredService<IAuditLog>().AppendAsync(new AuditEvent(AuditActions.DataKeyRotate, "ok", null, $"cli:{Environment.UserName}", null,
            new Dictionary<string, string?>
            {
                ["to"] = settings.Target,
                ["rows"] = rotation.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["retired"] = settings.Retire && fromFile ? "true" : "false",
            }), cancellationToken);

        var dropped = rotation.CropsDropped > 0 ? $" ({rotation.CropsDropped} old-format crops dropped)" : "";
        var next = fromFile ? $"{keyFile} now seals new rows with it" : "set Templates:ActiveDataKey to it";
        AnsiConsole.MarkupLineInterpolated($"Re-sealed {rotation.Rows} templates with data key {settings.Target}{dropped}; {next}.");
        return 0;
    }
}
