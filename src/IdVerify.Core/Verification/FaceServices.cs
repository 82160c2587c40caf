using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Verification;

/// <summary>The product's decisions on one loaded model bundle; disposing it closes the bundle's sessions.</summary>
public sealed record FaceServices(
    FacePipeline Pipeline,
    EnrollmentService Enrollment,
    VerificationService Verification,
    IdentificationService Identification,
    ChallengeService Challenges) : IDisposable
{
    public MatchPolicy Policy => Verification.Policy;

    public void Dispose() => Pipeline.Dispose();
}
