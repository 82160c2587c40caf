namespace IdVerify.Core.Evaluation;

/// <summary>What <see cref="Evaluator"/> measured over one set with one detector and embedder.</summary>
/// <param name="MedianFaceSize">median shorter side of the acquired faces' boxes, in pixels (absent for embeddings cached before it was kept).</param>
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
    double? MedianFaceSize,
    IReadOnlyList<AggregationResult> TemplateAggregation,
    IReadOnlyList<double> GenuineScores,
    IReadOnlyList<double> ImpostorScores);
