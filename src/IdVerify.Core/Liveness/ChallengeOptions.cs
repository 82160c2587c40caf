namespace IdVerify.Core.Liveness;

public sealed record ChallengeOptions
{
    /// <summary>Actions a challenge may ask for. Settable so that configured actions replace the defaults (see CoreRegistration).</summary>
    public IReadOnlyList<string> Actions { get; set; } = ChallengeActions.Default;

    public int ActionsPerChallenge { get; init; } = 2;

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(60);

    public int MinFrames { get; init; } = 3;

    public int MaxFrames { get; init; } = 20;

    /// <summary>
    /// Yaw change from the first frame that counts as a turn. On shared/faces a frontal-to-turned pair of one
    /// person (obama.jpg → obama2.jpg / obama1.jpg) reads −23° and +32°; the head-pose estimate spreads about ±10°
    /// on frontal photos, so 15° keeps a still face from passing by noise.
    /// </summary>
    public float MinTurnDegrees { get; init; } = 15;

    /// <summary>
    /// A blink is a frame whose eye aspect ratio (PFLD-68) is at most this fraction of the burst's median. Validated on
    /// the closed-eye captures of shared/faces/sequences: every one of the 8 blink clips (GRID, FGNet) reached ≤ 0.70 while
    /// the 3 no-blink clips and every open frame stayed ≥ 0.79; of the 14 Yale open/closed still pairs, 12 reached ≤ 0.72.
    /// So it works, but misses about one closed-eye capture in ten and rests on 3 negative clips: offered, not default.
    /// </summary>
    public float BlinkRatio { get; init; } = 0.72f;
}
