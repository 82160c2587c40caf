using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;

namespace IdVerify.Core.Pipeline;

/// <summary>The pipeline's options, bound from the Images, Detection, Selection, Liveness and Inference sections.</summary>
public sealed class PipelineOptions
{
    public ImageLimits Images { get; set; } = new();

    public DetectorOptions Detector { get; set; } = new();

    public SelectionOptions Selection { get; set; } = new();

    /// <summary>
    /// Fused MiniFASNet P(live) at or above which a face counts as live. idverify eval-liveness on tests/data/pad-labels.csv
    /// with libjpeg-turbo decoding (the default, and the decoder the models were trained behind, OpenCV's): the 31 printed
    /// and screen attacks judged scored at most 0.523 (a tablet still, which ImageSharp's decoder had put at 0.458), so 0.5
    /// let it through; 0.55 refuses all 31 and rejects 7 of 125 bona fide captures, as any threshold from 0.524 to 0.555 does.
    /// </summary>
    public float LivenessThreshold { get; set; } = 0.55f;

    /// <summary>Frame size over face size below which liveness answers insufficient_context (see <see cref="Liveness.LivenessChecker"/>).</summary>
    public float LivenessMinContextScale { get; set; } = 1.3f;

    public InferenceOptions Inference { get; set; } = new();

    /// <summary>
    /// Align on five points taken from the 68-point landmark model (Models:EyeLandmarks) instead of the detector's
    /// (configuration <c>Alignment:RefineLandmarks</c>, on by default). It pays for YuNet, whose points align poorly: on
    /// 2,987 LFW photos FNMR at the FMR 1e-3 threshold fell from 3.66% to 1.89%, below RetinaFace's 2.18%; and with the
    /// box all PFLD needs, YuNet finds the face at 320 px (<see cref="YuNetDetector.RefinedMaxSide"/>). Scores move with
    /// alignment: recalibrate after changing it.
    /// </summary>
    public bool RefineLandmarks { get; set; } = true;

    /// <summary>
    /// Run the embedder and the liveness models side by side when cores are idle (a request alone on the machine);
    /// under load each request stays on one core. Cuts single-request latency by the shorter of the two stages.
    /// </summary>
    public bool ParallelStages { get; set; } = true;
}
