using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>One frame of the burst: its calibrated yaw (null when the tracked face was not in it), whether it is frontal, its scores.</summary>
public sealed record ChallengeFrameDto(int Index, float? Yaw, bool Frontal, float? SamePersonScore, float? LivenessScore, bool LivenessJudged)
{
    public static ChallengeFrameDto From(ChallengeFrame f) => new(f.Index, f.Yaw, f.Frontal, f.SamePersonScore, f.LivenessScore, f.LivenessJudged);
}
