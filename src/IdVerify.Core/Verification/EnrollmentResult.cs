using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

public sealed record EnrollmentResult(Subject Subject, IReadOnlyList<FaceTemplate> Created, IReadOnlyList<FaceAnalysis> Analyses);
