using IdVerify.Core.Matching;

namespace IdVerify.Core.Evaluation;

/// <summary>How several enrolled templates of one subject combine into one score, compared by measurement.</summary>
public sealed record AggregationResult(
    TemplateAggregation Method, int Genuine, int Impostors, double Eer, double FnmrAtFmr1e2, double DPrime, int FalseMatchesAtFmr1e3Threshold, double FnmrAtFmr1e3Threshold);
