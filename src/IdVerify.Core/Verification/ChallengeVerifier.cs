using System.Security.Cryptography;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Verification;

/// <summary>
/// Checks a burst of frames against a challenge: the actions happen in order (head yaw from the detector's
/// landmarks), every frame shows the same person (embedding agreement with the most frontal frame), and the
/// passive check holds (the most frontal frame passes and the median fused score is over the threshold).
/// </summary>
public sealed class ChallengeVerifier(ChallengeOptions options)
{
    public ChallengeOptions Options => options;

    public LivenessChallenge Create(string? subjectId, DateTimeOffset now)
    {
        var enabled = options.Actions.Distinct().ToArray();
        var actions = new string[Math.Min(options.ActionsPerChallenge, enabled.Length)];
        RandomNumberGenerator.Shuffle(enabled.AsSpan());
        enabled.AsSpan(0, actions.Length).CopyTo(actions);
        return new LivenessChallenge(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_'),
            subjectId,
            actions,
            now,
            now + options.Lifetime);
    }

    /// <param name="embedder">the embedder of the subject's templates: each frame is embedded once, by it.</param>
    /// <param name="samePersonThreshold">the cosine two frames must reach to count as one person.</param>
    public ChallengeOutcome Check(FacePipeline pipeline, FaceEmbedder embedder, LivenessChallenge challenge, IReadOnlyList<byte[]> frames,
        float samePersonThreshold)
    {
        if (challenge.Actions.Contains(ChallengeActions.Blink) && pipeline.Eyes is null)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, "This challenge asks for a blink but no eye landmark model is loaded.");
        }

        var analyses = new List<FaceAnalysis?>();
        foreach (var frame in frames)
        {
            try
            {
                analyses.Add(pipeline.Analyze(frame, embedder));
            }
            catch (IdVerifyException ex) when (ex.Code is ErrorCodes.NoFace or ErrorCodes.FaceTooSmall or ErrorCodes.MultipleFaces)
            {
                // A frame caught mid-turn or blurred is normal in a burst; the checks below decide on the rest.
                analyses.Add(null);
            }
        }

        var usable = analyses.Where(a => a is not null).Select(a => a!).ToList();
        if (usable.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.NoFace, "No frame of the burst shows a usable face.");
        }

        var best = usable.MinBy(a => Math.Abs(a.Quality.Yaw))!;
        var minSame = usable.Min(a => Matching.Similarity.Cosine(a.Embedding, best.Embedding));
        var scores = usable.Select(a => a.Liveness.Score).Order().ToList();
        var median = scores[scores.Count / 2];
        // Turns are read on YuNet's yaw scale, which the turn bound was set on (manifest yawGain per detector).
        var yawGain = pipeline.DetectorModel.YawGain ?? 1f;
        var yaws = analyses.Select(a => a?.Quality.Yaw * yawGain).ToList();
        var observed = ObserveActions(yaws, analyses.Select(a => a?.EyeAspectRatio).ToList(), challenge.Actions);

        var checks = new ChallengeChecks(
            ActionsInOrder: observed.Count == challenge.Actions.Count,
            SamePerson: minSame >= samePersonThreshold,
            PassiveLiveness: best.Liveness.Passed && median >= pipeline.Liveness.Threshold,
            EnoughFrames: usable.Count >= options.MinFrames);
        return new ChallengeOutcome(challenge, checks, observed, yaws, minSame, median, best, usable.Count);
    }

    /// <summary>
    /// The challenge's actions seen in order: a turn is a yaw excursion from the first usable frame, a blink an eye
    /// aspect ratio dip below <see cref="ChallengeOptions.BlinkRatio"/> of the burst's median.
    /// </summary>
    private List<string> ObserveActions(IReadOnlyList<float?> yaws, IReadOnlyList<float?> eyes, IReadOnlyList<string> expected)
    {
        var observed = new List<string>();
        var start = yaws.FirstOrDefault(y => y is not null);
        if (start is not { } reference)
        {
            return observed;
        }

        var ears = eyes.Where(e => e is not null).Select(e => e!.Value).Order().ToList();
        var blinkBelow = ears.Count == 0 ? float.NegativeInfinity : ears[ears.Count / 2] * options.BlinkRatio;

        var index = 0;
        foreach (var action in expected)
        {
            var found = false;
            for (; index < yaws.Count && !found; index++)
            {
                if (yaws[index] is not { } yaw)
                {
                    continue;
                }

                found = action switch
                {
                    ChallengeActions.TurnLeft => yaw <= reference - options.MinTurnDegrees,
                    ChallengeActions.TurnRight => yaw >= reference + options.MinTurnDegrees,
                    ChallengeActions.Blink => eyes[index] is { } ear && ear <= blinkBelow,
                    _ => false,
                };
            }

            if (!found)
            {
                break;
            }

            observed.Add(action);
        }

        return observed;
    }
}
