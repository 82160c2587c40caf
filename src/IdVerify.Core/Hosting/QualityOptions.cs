using IdVerify.Core.Quality;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Quality</c>: capture-quality bounds per decision.</summary>
public sealed class QualityOptions
{
    public const string Section = "Quality";

    public QualityBounds Enrollment { get; set; } = QualityBounds.Enrollment;

    public QualityBounds Verification { get; set; } = new();
}
