namespace IdVerify.Core.Templates;

/// <summary>The best subjects of one search, best first, and how many subjects the search covered.</summary>
public sealed record GallerySearch(int GallerySize, IReadOnlyList<GalleryMatch> Matches);
