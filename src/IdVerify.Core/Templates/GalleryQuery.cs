using IdVerify.Core.Matching;
using IdVerify.Core.Models;

namespace IdVerify.Core.Templates;

/// <summary>
/// What a gallery search compares: a probe of <paramref name="Embedder"/> (only that embedder's templates take part),
/// scored with <paramref name="Aggregation"/>, the <paramref name="Top"/> best kept, one subject left out (an enrollment's own).
/// </summary>
public sealed record GalleryQuery(ModelEntry Embedder, float[] Probe, int Top, TemplateAggregation Aggregation, string? ExcludeSubjectId = null)
{
    public bool Takes(string embedderId, string embedderSha256) => embedderId == Embedder.Id && embedderSha256 == Embedder.Sha256;
}
