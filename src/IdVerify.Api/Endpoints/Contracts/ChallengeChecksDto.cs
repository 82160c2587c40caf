using IdVerify.Core.Liveness;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeChecksDto(bool ActionsInOrder, bool SamePerson, bool PassiveLiveness, bool EnoughFrames, bool Tracked)
{
    public static ChallengeChecksDto From(ChallengeChecks c) => new(c.ActionsInOrder, c.SamePerson, c.PassiveLiveness, c.EnoughFrames, c.Tracked);
}
