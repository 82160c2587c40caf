using System.Text.Json;
using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>
/// An enrollment's duplicate check (Enrollment:DuplicateCheck=warn): the other subjects the new face matched at the identify
/// threshold, named only for a key with the identify or admin scope; <see cref="Skipped"/> says why no check could run.
/// </summary>
public sealed record DuplicateCheckDto(string Mode, bool Flagged, IReadOnlyList<CandidateDto> Matches, int? GallerySize, float? Threshold, double? Fmr,
    string? Skipped) : IHasOpenApiExample<DuplicateCheckDto>
{
    /// <summary>The OpenAPI example (made-up values): the check ran and found no other subject with this face.</summary>
    public static DuplicateCheckDto Example { get; } = new("warn", Flagged: false, [], GallerySize: 640, Threshold: 0.4794f, Fmr: 1e-05, null);

    public static DuplicateCheckDto? From(DuplicateCheckResult? r, bool named) => r is null ? null : new(
        JsonNamingPolicy.KebabCaseLower.ConvertName(r.Mode.ToString()),
        r.Flagged,
        r.Matches.Select(m => CandidateDto.From(m, named)).ToList(),
        r.Policy?.GallerySize,
        r.Policy?.Threshold,
        r.Policy?.Fmr,
        r.Skipped);
}
