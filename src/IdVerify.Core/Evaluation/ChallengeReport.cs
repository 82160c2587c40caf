using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Verification;

namespace IdVerify.Core.Evaluation;

/// <summary>One burst judged against one challenge.</summary>
/// <param name="MaxTurn">the largest calibrated yaw excursion from the burst's most frontal frame (what a turn is read from).</param>
public sealed record ChallengeTrial(string Burst, string Kind, bool Attack, string Actions, bool Passed, IReadOnlyList<string> Failures,
    float MaxTurn, float LivenessScore, int FramesWithFace, int Frames);

/// <summary>A least-squares fit through the origin of the PFLD-68 yaw on the detector's five-point yaw.</summary>
public sealed record YawFit(string Set, int Frames, float Gain, float ResidualDegrees);

/// <summary>Per kind of burst: trials, how many passed.</summary>
public sealed record ChallengeKindSummary(string Kind, bool Attack, int Bursts, int Trials, int Passed, IReadOnlyDictionary<string, int> Failures);

/// <summary>
/// The active challenge measured: bona fide pass rate on real head-turn footage, and how often live people who do not
/// turn, replays and still photos moved, rotated or tilted in front of the camera pass (every one should fail).
/// </summary>
public sealed record ChallengeReport(string Detector, float YawGain, IReadOnlyList<ChallengeKindSummary> Kinds, IReadOnlyList<ChallengeTrial> Trials,
    IReadOnlyList<YawFit> YawFits, int PhotosNotAcquired)
{
    /// <summary>
    /// The bursts to judge: the real footage is read now (a folder without it fails before any model loads), the still
    /// photos are synthesised as they are judged.
    /// </summary>
    /// <param name="photoLimit">at most this many labelled photos (spread over the list) become still-photo attacks; null: all.</param>
    public static (IEnumerable<ChallengeBurst> Bursts, IReadOnlyList<string> Photos) Bursts(string facesRoot, int? photoLimit)
    {
        var labels = CsvTable.Read(Path.Combine(facesRoot, "labels.csv"), "source", "file", "kind").Rows
            .Select(r => Path.Combine(r["source"], r["file"])).ToList();
        var step = photoLimit is { } limit && limit < labels.Count ? labels.Count / (double)limit : 1;
        var photos = Enumerable.Range(0, (int)Math.Ceiling(labels.Count / step)).Select(i => labels[(int)(i * step)]).ToList();
        var footage = ChallengeBursts.RealTurns(facesRoot).Concat(ChallengeBursts.LiveWithoutTurns(facesRoot)).Concat(ChallengeBursts.Replays(facesRoot)).ToList();
        return (footage.Concat(photos.SelectMany(p =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(facesRoot, p));
            return new[] { ChallengeBursts.Tilted(p, bytes), ChallengeBursts.MovedAndRotated(p, bytes) };
        })), photos);
    }

    /// <param name="pipeline">a pipeline with the PFLD-68 landmarks loaded (the reference of the yaw fit).</param>
    /// <param name="bursts">from <see cref="Bursts"/>.</param>
    public static ChallengeReport Evaluate(FacePipeline pipeline, ChallengeVerifier verifier, float samePersonThreshold, string facesRoot,
        (IEnumerable<ChallengeBurst> Bursts, IReadOnlyList<string> Photos) bursts, IProgress<string>? progress = null)
    {
        var photos = bursts.Photos;
        var trials = new List<ChallengeTrial>();
        var notAcquired = 0;
        foreach (var burst in bursts.Bursts)
        {
            progress?.Report(burst.Name);
            var (analyses, trackFailure) = verifier.Track(pipeline, pipeline.Embedder, burst.Frames);
            if (analyses.All(a => a is null))
            {
                notAcquired++;
                continue;
            }

            foreach (var actions in burst.Challenges)
            {
                var challenge = verifier.Create(null, DateTimeOffset.UtcNow) with { Actions = actions };
                var outcome = verifier.Judge(pipeline, challenge, analyses, trackFailure, samePersonThreshold);
                var yaws = outcome.Frames.Where(f => f.Yaw is not null).Select(f => f.Yaw!.Value).ToList();
                // No yaw at all when every face was rolled past the bound (an upside-down photo).
                var reference = yaws.Count == 0 ? 0 : yaws.MinBy(Math.Abs);
                trials.Add(new ChallengeTrial(burst.Name, burst.Kind, burst.Attack, string.Join(">", actions), outcome.Checks.Passed, outcome.Failures,
                    yaws.Count == 0 ? 0 : yaws.Max(y => Math.Abs(y - reference)), outcome.LivenessScore, outcome.FramesWithFace, burst.Frames.Count));
            }
        }

        var kinds = trials.GroupBy(t => t.Kind).Select(g => new ChallengeKindSummary(g.Key, g.First().Attack, g.Select(t => t.Burst).Distinct().Count(),
            g.Count(), g.Count(t => t.Passed), g.SelectMany(t => t.Failures).GroupBy(f => f).ToDictionary(f => f.Key, f => f.Count()))).ToList();
        var fits = new List<YawFit>
        {
            FitYaw(pipeline, "franck_turn_A (real head turns, video)", ChallengeBursts.SequenceFrames(facesRoot, "franck_turn_A")),
            FitYaw(pipeline, "shared/faces labelled photos (stills)", photos.Select(p => File.ReadAllBytes(Path.Combine(facesRoot, p))).ToList()),
        };
        return new ChallengeReport(pipeline.DetectorModel.Id, pipeline.YawCalibration?.Gain ?? 1, kinds, trials, fits, notAcquired);
    }

    /// <summary>The gain that maps the detector's five-point yaw onto the PFLD-68 pose (least squares through the origin).</summary>
    public static YawFit FitYaw(FacePipeline pipeline, string set, IReadOnlyList<byte[]> frames)
    {
        var eyes = pipeline.Eyes ?? throw new IdVerifyException(ErrorCodes.ModelUnavailable, "The yaw fit needs the PFLD-68 landmark model.");
        var pairs = new List<(double Five, double Reference)>();
        foreach (var frame in frames)
        {
            try
            {
                var face = pipeline.Embed(frame);
                using var image = pipeline.Decoder.Decode(frame);
                pairs.Add((face.Quality.Yaw, HeadPose.EstimateFrom68(eyes.Detect(image.Image, face.Face.Box)).Yaw));
            }
            catch (IdVerifyException ex) when (ex.Code is ErrorCodes.NoFace or ErrorCodes.FaceTooSmall or ErrorCodes.MultipleFaces)
            {
                // Not every labelled photo has one usable face; the fit uses those that do.
            }
        }

        var gain = pairs.Sum(p => p.Five * p.Reference) / pairs.Sum(p => p.Five * p.Five);
        var residual = Math.Sqrt(pairs.Average(p => Math.Pow(p.Reference - (gain * p.Five), 2)));
        return new YawFit(set, pairs.Count, (float)gain, (float)residual);
    }
}
