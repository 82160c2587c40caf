using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>What a verification reads and writes: the subject's templates, the decision log, the subject's attempt count.</summary>
public sealed record VerificationStores(ITemplateStore Templates, IDecisionLog Decisions, ISubjectAttemptStore Attempts);
