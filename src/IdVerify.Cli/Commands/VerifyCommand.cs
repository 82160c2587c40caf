using System.Globalization;
using IdVerify.Core;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Compares two photos with the service's own pipeline and policy; exit code 0 verified, 1 not verified, 2 error.</summary>
public sealed class VerifyCommand : AsyncCommand<VerifyCommand.Settings>
{
    public sealed class Settings : ModelSettings
    {
        [CommandArgument(0, "<PROBE>")]
        [System.ComponentModel.Description("The live photo (selfie).")]
        public string Probe { get; init; } = "";

        [CommandArgument(1, "<REFERENCE>")]
        [System.ComponentModel.Description("The reference photo (the enrolled one).")]
        public string Reference { get; init; } = "";

        [CommandOption("--fmr-target <RATE>")]
        [System.ComponentModel.Description("False match rate to decide at (default 0.001).")]
        public double FmrTarget { get; init; } = 1e-3;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var locations = settings.Locations();
        var manifest = ModelManifest.Load(locations.ManifestPath);
        var bundle = ModelBundle.DefaultOf(manifest);
        var policy = MatchPolicy.For(manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), settings.FmrTarget);
        using var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(locations), bundle, new PipelineOptions(), cancellationToken);

        var probe = Analyze(pipeline, settings.Probe);
        var reference = Analyze(pipeline, settings.Reference);
        var score = Similarity.Cosine(probe.Embedding, reference.Embedding);
        var match = policy.IsMatch(score);
        var verified = match && probe.Liveness.Passed;

        var table = new Table().AddColumns("", "probe", "reference");
        table.AddRow("file", Markup.Escape(settings.Probe), Markup.Escape(settings.Reference));
        table.AddRow("face confidence", F(probe.Face.Score), F(reference.Face.Score));
        table.AddRow("liveness", $"{F(probe.Liveness.Score)} ({(probe.Liveness.Passed ? "live" : "not live")})",
            $"{F(reference.Liveness.Score)} ({(reference.Liveness.Passed ? "live" : "not live")})");
        table.AddRow("time (ms)", probe.Timings.Total.ToString("F1", CultureInfo.InvariantCulture),
            reference.Timings.Total.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"score {score:F4}  threshold {policy.Threshold:F4} (FMR {policy.FmrTarget:G})  match {(match ? "yes" : "no")}  live {(probe.Liveness.Passed ? "yes" : "no")}"));
        Console.WriteLine(verified ? "decision: VERIFIED" : "decision: NOT VERIFIED");
        return verified ? 0 : 1;
    }

    private static FaceAnalysis Analyze(FacePipeline pipeline, string path)
    {
        if (!File.Exists(path))
        {
            throw new IdVerifyException(ErrorCodes.ImageMissing, $"{path} does not exist.");
        }

        try
        {
            return pipeline.Analyze(File.ReadAllBytes(path));
        }
        catch (IdVerifyException ex)
        {
            throw new IdVerifyException(ex.Code, $"{path}: {ex.Message}", ex);
        }
    }

    private static string F(float value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
