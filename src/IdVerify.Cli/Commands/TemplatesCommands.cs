using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public class TemplateStoreSettings : ModelSettings
{
    [CommandOption("--db <FILE>")]
    [Description("The service's SQLite file (Storage:SqlitePath).")]
    public string Database { get; init; } = Path.Combine("src", "IdVerify.Api", "data", "idverify.db");

    public override Dictionary<string, string?> Overrides()
    {
        var overrides = base.Overrides();
        overrides["Storage:SqlitePath"] = Path.GetFullPath(Database);
        return overrides;
    }

    /// <summary>
    /// The service's store, opened only when the file exists (a typo must not create an empty database); a file SQLite
    /// cannot open as a template store is refused in one line.
    /// </summary>
    public ServiceProvider StartStore(CoreHost host)
    {
        if (!File.Exists(Database))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} does not exist.");
        }

        var core = StartCore(host);
        try
        {
            core.GetRequiredService<SqliteDatabase>();
            return core;
        }
        catch (SqliteException ex)
        {
            core.Dispose();
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} is not a template database: {ex.Message}", ex);
        }
    }
}

public sealed class TemplatesStatusCommand(CoreHost host) : AsyncCommand<TemplateStoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TemplateStoreSettings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartStore(host);
        var store = core.GetRequiredService<ITemplateStore>();
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

public sealed class TemplatesMigrateCommand(CoreHost host) : AsyncCommand<TemplatesMigrateCommand.Settings>
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
        using var core = settings.StartStore(host);
        var key = settings.Key ?? Environment.GetEnvironmentVariable("IDVERIFY_CROP_KEY")
            ?? (core.GetRequiredService<IOptions<TemplateOptions>>().Value.CropKey is { Length: > 0 } configured ? configured : null)
            ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "Give the crop key with --key, IDVERIFY_CROP_KEY or Templates:CropKey.");
        var crops = FaceCropProtector.FromBase64(key);

        // Only the target embedder is needed: the crops are already aligned faces.
        var factory = core.GetRequiredService<FaceServicesFactory>();
        var entry = factory.LoadManifest().Get(settings.Target, ModelRoles.Embedder);
        var (sessionOptions, _) = factory.PipelineOptions.Inference.CreateSessionOptions();
        using (sessionOptions)
        {
            using var embedder = FaceModelFactory.CreateEmbedder(entry, await factory.ModelStore.EnsureAsync(entry, cancellationToken), sessionOptions);
            var report = await TemplateMigrator.MigrateAsync(core.GetRequiredService<ITemplateStore>(), embedder, crops,
                core.GetRequiredService<TimeProvider>(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated(
                $"Migrated {report.Subjects} subjects to {settings.Target}: {report.TemplatesAdded} templates added, {report.AlreadyMigrated} subjects already had one, {report.SkippedWithoutCrop} templates had no stored crop.");
        }

        return 0;
    }
}
