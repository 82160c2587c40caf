namespace IdVerify.Core.Evaluation;

/// <summary>
/// A labelled photo set calibrated on its own (the worst source decides): its acquired faces and the photos that failed
/// to acquire. Every within-identity pair is genuine and every cross-identity pair an impostor, all of them scored.
/// </summary>
public sealed record CalibrationSource(string Name, IReadOnlyList<CalibrationFace> Faces, IReadOnlyList<FailureToAcquire> FailuresToAcquire)
{
    public int Photos => Faces.Count + FailuresToAcquire.Count;
}
