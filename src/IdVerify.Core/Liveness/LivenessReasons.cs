namespace IdVerify.Core.Liveness;

public static class LivenessReasons
{
    /// <summary>The face fills the frame: step back so the camera sees around the face.</summary>
    public const string InsufficientContext = "insufficient_context";

    /// <summary>The models judged the capture a presentation attack (print, screen).</summary>
    public const string AttackSuspected = "attack_suspected";

    /// <summary>An active challenge's frames did not pass every check (actions, same person, passive liveness).</summary>
    public const string ChallengeFailed = "challenge_failed";
}
