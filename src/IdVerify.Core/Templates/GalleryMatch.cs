namespace IdVerify.Core.Templates;

/// <summary>One subject found by a gallery search, scored like verify (the templates aggregated by the policy).</summary>
public sealed record GalleryMatch(string SubjectId, float Score, int TemplatesCompared);
