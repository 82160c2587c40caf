namespace IdVerify.Core.Liveness;

/// <summary>Which checks a frame burst passed; all must pass for the challenge to pass.</summary>
public sealed record ChallengeChecks(
    bool ActionsInOrder,
    bool SamePerson,
    bool PassiveLiveness,
    bool EnoughFrames)
{
    public bool Passed => ActionsInOrder && SamePerson && PassiveLiveness && EnoughFrames;
}
