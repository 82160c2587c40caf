namespace IdVerify.Core.Liveness;

public static class ChallengeActions
{
    /// <summary>The nose turns toward the left edge of the image as captured.</summary>
    public const string TurnLeft = "turn_left";

    /// <summary>The nose turns toward the right edge of the image as captured.</summary>
    public const string TurnRight = "turn_right";

    /// <summary>The eyes close and open: the eye aspect ratio drops below <see cref="ChallengeOptions.BlinkRatio"/> of the burst's median.</summary>
    public const string Blink = "blink";

    public static readonly IReadOnlyList<string> All = [TurnLeft, TurnRight, Blink];

    /// <summary>The actions offered by default; why blink is not among them is in <see cref="ChallengeOptions.BlinkRatio"/>.</summary>
    public static readonly IReadOnlyList<string> Default = [TurnLeft, TurnRight];
}
