using System.Globalization;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Compares two photos with the service's own configuration, models and rule (<see cref="VerificationService.Compare"/>):
/// the probe is decided as /v1/verify decides it against the reference enrolled; the reference is shown against the
/// enrollment bounds. Exit code 0 verified, 1 not verified, 2 error.
/// </summary>
public sealed class VerifyCommand(CoreHost host) : AsyncCommand<VerifyCommand.Settings>
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
        [System.ComponentModel.Description("A stricter calibrated false match rate to decide at, as a request's fmrTarget (default: Matching:FmrTarget).")]
        public double? FmrTarget { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        using var services = await core.GetRequiredService<FaceServicesFactory>().BuildAsync(cancellationToken);
        var bounds = core.GetRequiredService<IOptions<QualityOptions>>().Value;
        var policy = services.Verification.PolicyFor(settings.FmrTarget);

        var probe = Analyze(services.Pipeline, settings.Probe);
        var reference = Analyze(services.Pipeline, settings.Reference);
        var verdict = services.Verification.Compare(reference, probe, policy);

        var table = new Table().AddColumns("", "probe", "reference");
        table.AddRow("file", Markup.Escape(settings.Probe), Markup.Escape(settings.Reference));
        table.AddRow("face confidence", F(probe.Face.Score), F(reference.Face.Score));
        table.AddRow("liveness", Live(probe.Liveness), Live(reference.Liveness));
        table.AddRow("quality", Quality(probe.Quality, bounds.Verification), Quality(reference.Quality, bounds.Enrollment));
        table.AddRow("time (ms)", probe.Timings.Total.ToString("F1", CultureInfo.InvariantCulture),
            reference.Timings.Total.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"score {verdict.Score:F4}  threshold {policy.Threshold:F4} (FMR {policy.FmrTarget:G})  match {(verdict.Match ? "yes" : "no")}  live {(probe.Liveness.Passed ? "yes" : "no")}  quality {(verdict.Quality.Passed ? "ok" : string.Join(",", verdict.Quality.Issues))}"));
        Console.WriteLine(verdict.Verified ? "decision: VERIFIED" : "decision: NOT VERIFIED");
        return verdict.Verified ? 0 : 1;
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
            $"{(report.Passed ? "ok" : string.Join(",", report.Issues))} (eyes {values.InterEyeDistance:F0} px, sharpness {values.Sharpness:F3}, yaw {values.Yaw:F0}°)"));
    }

    private static string F(float value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
