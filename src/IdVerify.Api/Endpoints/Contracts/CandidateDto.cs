using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A subject found by a search; <see cref="SubjectId"/> is null where the caller may not learn who it is.</summary>
public sealed record CandidateDto(string? SubjectId, float Score, int TemplatesCompared)
{
    public static CandidateDto From(IdentifiedCandidate c, bool named = true) => new(named ? c.SubjectId : null, c.Score, c.TemplatesCompared);
}
