using IdVerify.Cli.Commands;
using IdVerify.Core;
using IdVerify.Core.Detection;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;

namespace IdVerify.Cli.Bench;

/// <summary>The same photos through <see cref="OpenCvReferencePipeline"/> (same models) and ours, interleaved, compared per stage.</summary>
internal static class OpenCvComparison
{
    /// <summary>Loads OpenCV's native library now, so that a machine without it is told before the bench, in one line.</summary>
    public static void EnsureAvailable()
    {
        try
        {
            _ = OpenCvSharp.Cv2.GetVersionString();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                "--compare-opencv needs OpenCV's native library, which did not load here (on Linux it needs libgtk-3-0).", ex);
        }
    }

    /// <summary>
    /// OpenCV's reference runs the detector through FaceDetectorYN, which decodes YuNet only; another family would compare
    /// different detectors (or crash inside OpenCV), so it is refused before the bench starts.
    /// </summary>
    public static void EnsureSameDetector(ModelEntry detector)
    {
        if (detector.Family != "yunet")
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                $"--compare-opencv runs OpenCV's FaceDetectorYN, which decodes YuNet only, and the configured detector is {detector.Id} ({detector.Family}): add --detector with a yunet model (such as yunet-2026may) to compare on the same models.");
        }
    }

    public static (IReadOnlyDictionary<string, Percentiles>, IReadOnlyDictionary<string, double>) Run(BenchCommand.Settings settings,
        ModelManifest manifest, ModelBundle bundle, ModelLocations locations, FacePipeline pipeline, List<byte[]> photos)
    {
        using var reference = new OpenCvReferencePipeline(new ModelStore(locations), manifest.Get(bundle.DetectorId, ModelRoles.Detector),
            manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), bundle.LivenessIds.Select(id => manifest.Get(id, ModelRoles.Liveness)).ToList(),
            pipeline.RefinesLandmarks ? pipeline.Eyes!.Model : null, YuNetDetector.MaxSideFor(pipeline.DetectorOptions));
        var ours = new List<StageTimings>();
        var theirs = new List<OpenCvReferencePipeline.Timings>();
        photos = photos.Where(p =>
        {
            try
            {
                reference.Run(p);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }).ToList();

        // Interleaved, alternating which goes first, so drift and cache effects fall on both alike.
        for (var i = 0; i < settings.Requests; i++)
        {
            var photo = photos[i % photos.Count];
            if (i % 2 == 0)
            {
                ours.Add(pipeline.Analyze(photo).Timings);
                theirs.Add(reference.Run(photo));
            }
            else
            {
                theirs.Add(reference.Run(photo));
                ours.Add(pipeline.Analyze(photo).Timings);
            }
        }

        var cv = new Dictionary<string, Percentiles>
        {
            ["decode"] = Percentiles.Of(theirs.Select(t => t.Decode)),
            ["detect"] = Percentiles.Of(theirs.Select(t => t.Detect)),
            ["align"] = Percentiles.Of(theirs.Select(t => t.Align)),
            ["embed"] = Percentiles.Of(theirs.Select(t => t.Embed)),
            ["liveness"] = Percentiles.Of(theirs.Select(t => t.Liveness)),
            ["total"] = Percentiles.Of(theirs.Select(t => t.Total)),
        };
        var mine = new Dictionary<string, Percentiles>
        {
            ["decode"] = Percentiles.Of(ours.Select(t => t.Decode)),
            ["detect"] = Percentiles.Of(ours.Select(t => t.Detect)),
            ["align"] = Percentiles.Of(ours.Select(t => t.Align)),
            ["embed"] = Percentiles.Of(ours.Select(t => t.Embed)),
            ["liveness"] = Percentiles.Of(ours.Select(t => t.Liveness)),
            ["total"] = Percentiles.Of(ours.Select(t => t.Total)),
        };
        var ratios = cv.Keys.ToDictionary(k => k, k => Math.Round(cv[k].P50 / Math.Max(0.01, mine[k].P50), 2));
        BenchReportOutput.PrintOpenCvComparison(cv, mine, ratios);
        return (cv, ratios);
    }
}
