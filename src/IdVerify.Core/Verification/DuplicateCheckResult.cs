using IdVerify.Core.Matching;

namespace IdVerify.Core.Verification;

/// <summary>
/// The duplicate check of one enrollment: the other subjects a new face matched at the identify threshold (best first), or,
/// when <see cref="Skipped"/>, why no calibrated threshold could be used (warn mode enrolls anyway and says so).
/// </summary>
public sealed record DuplicateCheckResult(DuplicateCheckMode Mode, IdentificationPolicy? Policy, IReadOnlyList<IdentifiedCandidate> Matches, string? Skipped)
{
    public bool Flagged => Matches.Count > 0;
}
