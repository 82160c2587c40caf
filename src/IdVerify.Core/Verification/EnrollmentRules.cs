using IdVerify.Core.Matching;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Verification;

/// <summary>How an enrollment decides: its limits, the enrollment quality bounds, and the policy a new face must meet to join an enrolled subject.</summary>
public sealed record EnrollmentRules(EnrollmentOptions Options, QualityBounds Quality, MatchPolicy SameFace);
