using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public sealed class TemplatesMigrateCommand(CoreHost host) : AsyncCommand<TemplatesMigrateCommand.Settings>
{
    public sealed class Settings : TemplateStoreSettings
    {
        [CommandOption("--to <ID>")]
        [Description("The embedder to re-embed every stored crop with.")]
        public string Target { get; init; } = "";

        public override ValidationResult Validate() => Target.Trim().Length > 0
            ? ValidationResult.Success()
            : ValidationResult.Error("--to must name the embedder to re-embed with.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The crops open with the service's own data keys (its key file or Templates:DataKeys), checked before the models load.
        using var core = settings.StartStore(host);
        var crops = new FaceCropProtector(core.GetRequiredService<DataKeyRing>());

        // Only the target embedder is needed: the crops are already aligned faces.
        var catalog = core.GetRequiredService<ModelCatalog>();
        var entry = catalog.LoadManifest().Get(settings.Target, ModelRoles.Embedder);
        var (sessionOptions, _) = core.GetRequiredService<IOptions<PipelineOptions>>().Value.Inference.CreateSessionOptions();
        using (sessionOptions)
        {
            using var embedder = FaceModelFactory.CreateEmbedder(entry, await catalog.Store.EnsureAsync(entry, cancellationToken), sessionOptions);
            var report = await TemplateMigrator.MigrateAsync(core.GetRequiredService<ITemplateStore>(), embedder, crops,
                core.GetRequiredService<TimeProvider>(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated(
                $"Migrated {report.Subjects} subjects to {settings.Target}: {report.TemplatesAdded} templates added, {report.AlreadyMigrated} subjects already had one, {report.SkippedWithoutCrop} templates had no stored crop.");
        }

        return 0;
    }
}
