using System.ComponentModel;
using IdVerify.Core;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public class TemplateStoreSettings : ModelSettings
{
    [CommandOption("--db <FILE>")]
    [Description("The service's SQLite file (Storage:SqlitePath).")]
    public string Database { get; init; } = Path.Combine("src", "IdVerify.Api", "data", "idverify.db");

    /// <summary>Opens the service's database; a missing file, or one SQLite cannot open as a template store, is refused in one line.</summary>
    public SqliteTemplateStore OpenStore()
    {
        if (!File.Exists(Database))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} does not exist.");
        }

        try
        {
            return new SqliteTemplateStore(Database);
        }
        catch (SqliteException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} is not a template database: {ex.Message}", ex);
        }
    }
}

public sealed class TemplatesStatusCommand : AsyncCommand<TemplateStoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TemplateStoreSettings settings, CancellationToken cancellationToken)
    {
        var store = settings.OpenStore();
        var counts = await store.CountSubjectsByEmbedderAsync(cancellationToken);
        var crops = (await store.ListTemplatesAsync(cancellationToken)).Count(t => t.ProtectedCrop is not null);
        var table = new Table().AddColumns("embedder", "subjects");
        foreach (var (embedder, subjects) in counts)
        {
            table.AddRow(Markup.Escape(embedder), subjects.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"templates with an encrypted face crop (migratable): {crops}");
        return 0;
    }
}

public sealed class TemplatesMigrateCommand : AsyncCommand<TemplatesMigrateCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--to <ID>")]
        [Description("The embedder to re-embed every stored crop with.")]
        public string Target { get; init; } = "";

        [CommandOption("--key <BASE64>")]
        [Description("The Templates:CropKey the service stored crops with (default: $IDVERIFY_CROP_KEY).")]
        public string? Key { get; init; }

        public override ValidationResult Validate() => Target.Trim().Length > 0
            ? ValidationResult.Success()
            : ValidationResult.Error("--to must name the embedder to re-embed with.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var key = settings.Key ?? Environment.GetEnvironmentVariable("IDVERIFY_CROP_KEY")
            ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "Give the crop key with --key or IDVERIFY_CROP_KEY.");
        // The database and the key are checked before the models load.
        settings.OpenStore();
        FaceCropProtector.FromBase64(key);

        var locations = settings.Locations();
        var manifest = locations.LoadManifest();
        var bundle = ModelBundle.DefaultOf(manifest) with { EmbedderId = settings.Target };
        using var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(locations), bundle, new PipelineOptions(), cancellationToken);
        var report = await TemplateMigrator.MigrateAsync(new SqliteTemplateStore(settings.Database), pipeline.Embedder,
            FaceCropProtector.FromBase64(key), TimeProvider.System, cancellationToken);
        AnsiConsole.MarkupLineInterpolated(
            $"Migrated {report.Subjects} subjects to {settings.Target}: {report.TemplatesAdded} templates added, {report.AlreadyMigrated} subjects already had one, {report.SkippedWithoutCrop} templates had no stored crop.");
        return 0;
    }
}
