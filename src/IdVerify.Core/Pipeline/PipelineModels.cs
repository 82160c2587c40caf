using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;

namespace IdVerify.Core.Pipeline;

/// <summary>The open sessions of one bundle, disposed together.</summary>
/// <param name="Eyes">loaded only when the bundle names a landmark model (the blink action needs it).</param>
/// <param name="LegacyEmbedders">earlier embedders kept for subjects not yet re-enrolled; never used to enroll.</param>
/// <param name="Provider">the execution provider the sessions run on (and why, when it is not the one asked for).</param>
/// <param name="SoloDetector">the detector again, on more threads, for a request alone on the machine (CPU only).</param>
/// <param name="SoloEyes">the landmark model again, on more threads, for a request alone on the machine (CPU only).</param>
public sealed record PipelineModels(
    ModelBundle Bundle,
    IFaceDetector Detector,
    ModelEntry DetectorModel,
    FaceEmbedder Embedder,
    LivenessChecker Liveness,
    EyeLandmarks? Eyes,
    IReadOnlyList<FaceEmbedder> LegacyEmbedders,
    ExecutionProviderChoice Provider,
    IFaceDetector? SoloDetector = null,
    EyeLandmarks? SoloEyes = null) : IDisposable
{
    public void Dispose()
    {
        foreach (var legacy in LegacyEmbedders)
        {
            legacy.Dispose();
        }

        Eyes?.Dispose();
        SoloEyes?.Dispose();
        Detector.Dispose();
        SoloDetector?.Dispose();
        Embedder.Dispose();
        Liveness.Dispose();
    }
}
