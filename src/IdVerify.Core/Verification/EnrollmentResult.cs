using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <param name="Reenrolled">templates were added to an enrolled subject under the subjects:reenroll right, without the same-face check.</param>
/// <param name="Duplicates">the duplicate check's finding; null when Enrollment:DuplicateCheck is off.</param>
public sealed record EnrollmentResult(Subject Subject, IReadOnlyList<FaceTemplate> Created, IReadOnlyList<FaceAnalysis> Analyses, bool Reenrolled = false,
    DuplicateCheckResult? Duplicates = null);
