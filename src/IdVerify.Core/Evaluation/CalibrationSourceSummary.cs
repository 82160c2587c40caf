namespace IdVerify.Core.Evaluation;

/// <summary>What a calibration source held: photos, failures to acquire, identities, and its pair counts overall and per fold.</summary>
public sealed record CalibrationSourceSummary(
    string Name,
    int Photos,
    int FailureToAcquire,
    int Identities,
    int Genuine,
    int Impostors,
    IReadOnlyList<int> ImpostorsPerFold,
    IReadOnlyList<FailureToAcquire> Failures);
