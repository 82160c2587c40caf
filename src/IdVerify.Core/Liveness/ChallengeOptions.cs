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
    /// Calibrated yaw change from the burst's most frontal frame that counts as a turn. The moderate (15–30° by eye)
    /// turns of shared/faces' franck_turn_A clip read 25–33° either way from its most frontal frame; a live person who
    /// talks but does not turn (GRID, franck blink clips) at most 12° (README, Active liveness challenge).
    /// </summary>
    public float MinTurnDegrees { get; init; } = 15;

    /// <summary>
    /// Frames whose calibrated |yaw| is at most this are frontal: only they are compared with each other (an embedder
    /// scores a near-profile view of the same person as a stranger: cosine 0.04–0.09 at 60–85° in issue 12) and only they
    /// are judged by the passive check. Turned frames count as evidence of the turn, tied to the person by the track.
    /// </summary>
    public float MaxFrontalYaw { get; init; } = 25;

    /// <summary>
    /// Frames whose face is rolled further than this (degrees) give no yaw reading: the five-point yaw of a face lying on
    /// its side is noise (a 90°-rotated photo moved about read fake turns of 27°), and a head turning as asked stays upright
    /// (franck_turn_A: |roll| ≤ 21°).
    /// </summary>
    public float MaxRoll { get; init; } = 35;

    /// <summary>
    /// A turned frame counts as a turn only when its inter-eye distance, over the most frontal frame's, is at least this
    /// times the cosine of the turn: a head turned by θ narrows by cos θ, a flat photo tilted far enough to fake a small
    /// turn narrows much more. Real turns (franck_turn_A) gave 0.99–1.09; a print tilted 30–45° that read ±16° gave 0.69–0.90.
    /// An attacker who also brings the print closer beats it: a bound on what a flat photo can do, not a proof of depth.
    /// </summary>
    public float MinEyeDistanceRatio { get; init; } = 0.9f;

    /// <summary>How many frontal frames, the sharpest first, the passive check judges; it decides on their mean P(live).</summary>
    public int LivenessFrames { get; init; } = 3;

    /// <summary>
    /// The face tracked through the burst must overlap its box in the last frame it was seen in at least this much (IoU).
    /// Consecutive frames of the real clips of shared/faces/sequences overlapped ≥ 0.77 (franck_turn_A at 6 fps); the
    /// live-to-phone cut of the Silent-Face demo overlapped 0.19.
    /// </summary>
    public float MinTrackOverlap { get; init; } = 0.4f;

    /// <summary>Consecutive frames the tracked face may be missing from (mid-turn, blurred) before the track is lost.</summary>
    public int MaxTrackGap { get; init; } = 2;

    /// <summary>
    /// A blink is a frame whose eye aspect ratio (PFLD-68) is at most this fraction of the burst's median. Validated on
    /// the closed-eye captures of shared/faces/sequences: every one of the 8 blink clips (GRID, FGNet) reached ≤ 0.70 while
    /// the 3 no-blink clips and every open frame stayed ≥ 0.79; of the 14 Yale open/closed still pairs, 12 reached ≤ 0.72.
    /// So it works, but misses about one closed-eye capture in ten and rests on 3 negative clips: offered, not default.
    /// </summary>
    public float BlinkRatio { get; init; } = 0.72f;
}
