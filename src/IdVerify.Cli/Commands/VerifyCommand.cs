using System.Globalization;
using IdVerify.Core;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Compares two photos with the service's own pipeline and policy (verification quality bounds for the probe;
/// the reference is shown against enrollment bounds); exit code 0 verified, 1 not verified, 2 error.
/// </summary>
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
        var manifest = locations.LoadManifest();
        var bundle = ModelBundle.DefaultOf(manifest);
        var policy = MatchPolicy.For(manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), settings.FmrTarget);
        using var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(locations), bundle, new PipelineOptions(), cancellationToken);

        var probe = Analyze(pipeline, settings.Probe);
        var reference = Analyze(pipeline, settings.Reference);
        var score = Similarity.Cosine(probe.Embedding, reference.Embedding);
        var match = policy.IsMatch(score);
        var quality = FaceQualityAssessor.Check(probe.Quality, new QualityBounds());
        var verified = match && probe.Liveness.Passed && quality.Passed;

        var table = new Table().AddColumns("", "probe", "reference");
        table.AddRow("file", Markup.Escape(settings.Probe), Markup.Escape(settings.Reference));
        table.AddRow("face confidence", F(probe.Face.Score), F(reference.Face.Score));
        table.AddRow("liveness", Live(probe.Liveness), Live(reference.Liveness));
        table.AddRow("quality", Quality(probe.Quality, new QualityBounds()), Quality(reference.Quality, QualityBounds.Enrollment));
        table.AddRow("time (ms)", probe.Timings.Total.ToString("F1", CultureInfo.InvariantCulture),
            reference.Timings.Total.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"score {score:F4}  threshold {policy.Threshold:F4} (FMR {policy.FmrTarget:G})  match {(match ? "yes" : "no")}  live {(probe.Liveness.Passed ? "yes" : "no")}  quality {(quality.Passed ? "ok" : string.Join(",", quality.Issues))}"));
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

    private static string Live(LivenessResult liveness) =>
        $"{F(liveness.Score)} ({(liveness.Passed ? "live" : liveness.Reason)})";

    private static string Quality(QualityValues values, QualityBounds bounds)
    {
        var report = FaceQualityAssessor.Check(values, bounds);
        return Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{(report.Passed ? "ok" : string.Join(",", report.Issues))} (eyes {values.InterEyeDistance:F0} px, sharpness {values.Sharpness:F0}, yaw {values.Yaw:F0}°)"));
    }

    private static string F(float value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
