using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

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
