namespace IdVerify.Core.Evaluation;

/// <summary>ISO/IEC 30107-3 figures at one threshold: APCER per attack type (the overall APCER is the worst type) and BPCER.</summary>
public sealed record PadOperatingPoint(
    double Threshold,
    double Apcer,
    IReadOnlyDictionary<string, double> ApcerByType,
    double Bpcer,
    int AttacksAccepted,
    int BonaFideRejected);
