namespace IdVerify.Core.Templates;

/// <summary>The audit log of verification outcomes: each decision is written whole or not at all, and never changed.</summary>
public interface IDecisionLog
{
    Task RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken = default);

    Task<DecisionRecord?> GetDecisionAsync(string decisionId, CancellationToken cancellationToken = default);
}
