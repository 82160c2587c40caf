using System.Security.Cryptography;
using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Verification;

/// <summary>
/// Checks a burst of frames against a challenge: one face is tracked through the burst (box overlap frame to frame), the
/// actions happen in order (calibrated head yaw from the detector's landmarks), the frontal frames show one person
/// (embedding agreement with the most frontal frame) and the sharpest frontal frames pass the passive check on their
/// mean score. Turned frames are evidence of the turn only: an embedder cannot tell a profile from a stranger.
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

        var (analyses, trackFailure) = Track(pipeline, embedder, frames);
        return Judge(pipeline, challenge, analyses, trackFailure, samePersonThreshold);
    }

    /// <summary>
    /// The cosine frames of one burst must reach: the embedder's FMR 1e-2 threshold, since the question is "one person
    /// throughout?", not "is this the customer?", which the match policy answers; <paramref name="fallback"/> without one.
    /// </summary>
    public static float SamePersonThreshold(ModelEntry embedder, float fallback) =>
        (embedder.Calibration ?? []).FirstOrDefault(c => Math.Abs(c.Fmr - 1e-2) < 1e-9) is { } loose ? (float)loose.Threshold : fallback;

    /// <summary>The checks on a tracked burst (<see cref="Track"/>); the evaluation judges one burst against several challenges.</summary>
    internal ChallengeOutcome Judge(FacePipeline pipeline, LivenessChallenge challenge, IReadOnlyList<FaceAnalysis?> analyses, string? trackFailure,
        float samePersonThreshold)
    {
        var tracked = Enumerable.Range(0, analyses.Count).Where(i => analyses[i] is not null).ToList();
        if (tracked.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.NoFace, "No frame of the burst shows a usable face.");
        }

        // Turns and the frontal bound are read in calibrated degrees (the manifest's yawCalibration of the model the five
        // points come from); a face rolled onto its side gives no reading.
        var gain = pipeline.YawCalibration?.Gain ?? 1f;
        var yaws = analyses.Select(a => a is not null && Math.Abs(a.Quality.Roll) <= options.MaxRoll ? a.Quality.Yaw * gain : (float?)null).ToList();
        var read = tracked.Where(i => yaws[i] is not null).ToList();
        var bestIndex = read.Count == 0 ? tracked[0] : read.MinBy(i => Math.Abs(yaws[i]!.Value));
        var best = analyses[bestIndex]!;
        var frontal = read.Where(i => Math.Abs(yaws[i]!.Value) <= options.MaxFrontalYaw).ToList();
        var same = frontal.ToDictionary(i => i, i => Matching.Similarity.Cosine(analyses[i]!.Embedding, best.Embedding));
        var minSame = same.Count == 0 ? 0 : same.Values.Min();

        // The sharpest frontal frames: a frame blurred by the motion of a turn is the models' weakest evidence.
        var judged = frontal.OrderByDescending(i => analyses[i]!.Quality.Sharpness).Take(options.LivenessFrames).ToHashSet();
        var livenessScore = judged.Count == 0 ? 0 : judged.Average(i => analyses[i]!.Liveness.Score);
        var passive = judged.Count > 0 && livenessScore >= pipeline.Liveness.Threshold
            && judged.All(i => analyses[i]!.Liveness.Reason != LivenessReasons.InsufficientContext);

        // A turn narrows the face by the cosine of the turn, no more (see ChallengeOptions.MinEyeDistanceRatio).
        var reference = yaws[bestIndex] ?? 0;
        var turnYaws = yaws.Select((y, i) => y is { } yaw && analyses[i]!.Face.InterEyeDistance / best.Face.InterEyeDistance
            >= options.MinEyeDistanceRatio * MathF.Cos((yaw - reference) * MathF.PI / 180) ? y : null).ToList();
        var observed = ObserveActions(turnYaws, reference, analyses.Select(a => a?.EyeAspectRatio).ToList(), challenge.Actions);
        var checks = new ChallengeChecks(
            ActionsInOrder: observed.Count == challenge.Actions.Count,
            SamePerson: frontal.Count > 0 && minSame >= samePersonThreshold,
            PassiveLiveness: passive,
            EnoughFrames: tracked.Count >= options.MinFrames,
            Tracked: trackFailure is null);

        var failures = new List<string>();
        if (trackFailure is not null)
        {
            failures.Add(trackFailure);
        }

        if (!checks.ActionsInOrder)
        {
            failures.Add(ChallengeFailures.ActionsNotSeen);
        }

        if (!checks.SamePerson)
        {
            failures.Add(frontal.Count == 0 ? ChallengeFailures.NoFrontalFrame : ChallengeFailures.NotSamePerson);
        }

        if (!checks.PassiveLiveness)
        {
            failures.Add(ChallengeFailures.PassiveLivenessFailed);
        }

        if (!checks.EnoughFrames)
        {
            failures.Add(ChallengeFailures.TooFewFrames);
        }

        var frameReport = analyses.Select((a, i) => new ChallengeFrame(i, yaws[i], same.ContainsKey(i), same.TryGetValue(i, out var s) ? s : null,
            a?.Liveness.Score, judged.Contains(i))).ToList();
        return new ChallengeOutcome(challenge, checks, failures, observed, frameReport, minSame, livenessScore, best, tracked.Count);
    }

    /// <summary>
    /// Follows one face through the burst: the first frame's face is picked as verify picks it, each later frame's is the
    /// face overlapping the last tracked box most. A face elsewhere (overlap under <see cref="ChallengeOptions.MinTrackOverlap"/>)
    /// is a jump; more than <see cref="ChallengeOptions.MaxTrackGap"/> frames in a row without the face, a loss.
    /// </summary>
    internal (List<FaceAnalysis?> Frames, string? Failure) Track(FacePipeline pipeline, FaceEmbedder embedder, IReadOnlyList<byte[]> frames)
    {
        var selection = pipeline.Options.Selection;
        var analyses = new List<FaceAnalysis?>();
        DetectedFace? last = null;
        var gap = 0;
        string? failure = null;
        foreach (var frame in frames)
        {
            var jumped = false;
            FaceAnalysis? analysis;
            try
            {
                analysis = pipeline.Analyze(frame, embedder, (faces, width, height) =>
                {
                    if (last is not { } previous)
                    {
                        return FaceSelector.Select(faces, selection, width, height);
                    }

                    var next = faces.MaxBy(f => f.Box.IntersectionOverUnion(previous.Box));
                    jumped = next is not null && next.Box.IntersectionOverUnion(previous.Box) < options.MinTrackOverlap;
                    return jumped || next is null || Math.Min(next.Box.Width, next.Box.Height) < selection.MinFaceSize ? null : next;
                });
            }
            catch (IdVerifyException ex) when (ex.Code is ErrorCodes.NoFace or ErrorCodes.FaceTooSmall or ErrorCodes.MultipleFaces)
            {
                // Before the track starts: a frame caught mid-turn or blurred is normal in a burst.
                analysis = null;
            }

            if (jumped)
            {
                failure ??= ChallengeFailures.FaceJumped;
            }

            if (analysis is not null)
            {
                last = analysis.Face;
                gap = 0;
            }
            else if (last is not null && ++gap > options.MaxTrackGap)
            {
                failure ??= ChallengeFailures.FaceLost;
            }

            analyses.Add(analysis);
        }

        return (analyses, failure);
    }

    /// <summary>
    /// The challenge's actions seen in order: a turn is a yaw excursion of <see cref="ChallengeOptions.MinTurnDegrees"/> from
    /// <paramref name="reference"/> (the most frontal frame's yaw; null yaws are frames that cannot show a turn), a blink an eye aspect ratio dip below
    /// <see cref="ChallengeOptions.BlinkRatio"/> of the burst's median.
    /// </summary>
    private List<string> ObserveActions(IReadOnlyList<float?> yaws, float reference, IReadOnlyList<float?> eyes, IReadOnlyList<string> expected)
    {
        var observed = new List<string>();
        var ears = eyes.Where(e => e is not null).Select(e => e!.Value).Order().ToList();
        var blinkBelow = ears.Count == 0 ? float.NegativeInfinity : ears[ears.Count / 2] * options.BlinkRatio;

        var index = 0;
        foreach (var action in expected)
        {
            var found = false;
            for (; index < yaws.Count && !found; index++)
            {
                found = action switch
                {
                    ChallengeActions.TurnLeft => yaws[index] is { } yaw && yaw <= reference - options.MinTurnDegrees,
                    ChallengeActions.TurnRight => yaws[index] is { } yaw && yaw >= reference + options.MinTurnDegrees,
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
