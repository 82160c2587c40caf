using IdVerify.Core.Matching;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>How a verification decides: the calibrated match policy, the verification quality bounds, the attempt limits.</summary>
public sealed record VerificationRules(MatchPolicy Policy, QualityBounds Quality, AttemptLimits Attempts);
