using IdVerify.Core.Hosting;
using IdVerify.Core.Matching;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Verification;

/// <summary>How a search decides: its options, the verify policy it is never looser than, and the verification quality bounds.</summary>
public sealed record IdentificationRules(IdentifyOptions Options, MatchPolicy Policy, QualityBounds Quality);
