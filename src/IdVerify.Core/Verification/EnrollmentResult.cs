using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <param name="Reenrolled">templates were added to an enrolled subject under the subjects:reenroll right, without the same-face check.</param>
public sealed record EnrollmentResult(Subject Subject, IReadOnlyList<FaceTemplate> Created, IReadOnlyList<FaceAnalysis> Analyses, bool Reenrolled = false);
