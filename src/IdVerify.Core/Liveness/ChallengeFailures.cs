namespace IdVerify.Core.Liveness;

/// <summary>Why a frame burst failed its challenge: one code per failed check, in the response's <c>failures</c>.</summary>
public static class ChallengeFailures
{
    /// <summary>The tracked face was missing from more than <see cref="ChallengeOptions.MaxTrackGap"/> frames in a row.</summary>
    public const string FaceLost = "face_lost";

    /// <summary>The face of a frame is elsewhere than the tracked face was (a different face, or a cut).</summary>
    public const string FaceJumped = "face_jumped";

    public const string ActionsNotSeen = "actions_not_seen";

    /// <summary>No frame was near frontal, so nothing could tie the burst to one person.</summary>
    public const string NoFrontalFrame = "no_frontal_frame";

    /// <summary>A frontal frame does not match the burst's most frontal frame.</summary>
    public const string NotSamePerson = "not_same_person";

    public const string PassiveLivenessFailed = "passive_liveness_failed";

    public const string TooFewFrames = "too_few_frames";
}
