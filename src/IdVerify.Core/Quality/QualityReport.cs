namespace IdVerify.Core.Quality;

/// <summary>A face's quality values checked against one set of bounds.</summary>
public sealed record QualityReport(bool Passed, IReadOnlyList<string> Issues, QualityValues Values);
