namespace IdVerify.Core.Liveness;

/// <summary>Which checks a frame burst passed; all must pass for the challenge to pass.</summary>
/// <param name="Tracked">one face was followed through the burst: never lost for long, never replaced by a face elsewhere.</param>
public sealed record ChallengeChecks(
    bool ActionsInOrder,
    bool SamePerson,
    bool PassiveLiveness,
    bool EnoughFrames,
    bool Tracked)
{
    public bool Passed => ActionsInOrder && SamePerson && PassiveLiveness && EnoughFrames && Tracked;
}
