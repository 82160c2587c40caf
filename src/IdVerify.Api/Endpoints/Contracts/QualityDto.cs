using IdVerify.Core.Quality;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record QualityDto(bool Passed, IReadOnlyList<string> Issues, QualityValuesDto Values)
{
    public static QualityDto From(QualityReport q) => new(q.Passed, q.Issues, QualityValuesDto.From(q.Values));
}
