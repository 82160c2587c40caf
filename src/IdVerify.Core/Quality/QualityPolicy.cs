namespace IdVerify.Core.Quality;

/// <summary>The bounds for each decision: enrollment stricter than verification.</summary>
public sealed record QualityPolicy(QualityBounds Enrollment, QualityBounds Verification)
{
    public static QualityPolicy Default => new(QualityBounds.Enrollment, new QualityBounds());
}
