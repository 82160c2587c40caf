using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A subject found by a search; <see cref="SubjectId"/> is null where the caller may not learn who it is.</summary>
public sealed record CandidateDto(string? SubjectId, float Score, int TemplatesCompared) : IHasOpenApiExample<CandidateDto>
{
    /// <summary>The OpenAPI example (made-up values).</summary>
    public static CandidateDto Example { get; } = new("customer-0042", 0.712f, 2);

    public static CandidateDto From(IdentifiedCandidate c, bool named = true) => new(named ? c.SubjectId : null, c.Score, c.TemplatesCompared);
}
