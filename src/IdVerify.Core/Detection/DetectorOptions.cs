namespace IdVerify.Core.Detection;

/// <summary>Detector settings (configuration section <c>Detection</c>).</summary>
public sealed record DetectorOptions
{
    /// <summary>MODELS.md: at 0.6 with the long side capped to 640 px YuNet found every upright face in shared/faces.</summary>
    public float ScoreThreshold { get; init; } = 0.6f;

    /// <summary>OpenCV's FaceDetectorYN default.</summary>
    public float NmsThreshold { get; init; } = 0.3f;

    public int TopK { get; init; } = 5000;

    /// <summary>
    /// Photos are scaled down so their long side is at most this before detection; unset, each detector's own measured
    /// default (<see cref="YuNetDetector.DefaultMaxSide"/>, <see cref="RetinaFaceDetector.DefaultMaxSide"/>). Raise it
    /// for photos with small faces. A detector with a fixed square input (SCRFD) fits the photo into that instead.
    /// </summary>
    public int? MaxSide { get; init; }

    /// <summary>
    /// Set by the pipeline when a landmark model refines the detector's five points (Alignment:RefineLandmarks): a detector
    /// whose box is then all that matters may find faces on a smaller input (<see cref="YuNetDetector.RefinedMaxSide"/>).
    /// </summary>
    public bool LandmarksRefined { get; init; }
}
