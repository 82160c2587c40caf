namespace IdVerify.Core.Evaluation;

/// <summary>What <see cref="Evaluator"/> measured over one set with one detector and embedder.</summary>
public sealed record EvaluationReport(
    string Detector,
    string Embedder,
    string EmbedderSha256,
    string Dataset,
    int Images,
    IReadOnlyList<FailureToAcquire> FailureToAcquire,
    int Genuine,
    int Impostors,
    double Eer,
    double EerThreshold,
    IReadOnlyList<OperatingPoint> OperatingPoints,
    double Auc,
    IReadOnlyList<ScoredPair> LowestGenuine,
    IReadOnlyList<ScoredPair> HighestImpostors,
    double MedianMsPerFace,
    IReadOnlyList<AggregationResult> TemplateAggregation,
    IReadOnlyList<double> GenuineScores,
    IReadOnlyList<double> ImpostorScores);
