using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Evaluation;

/// <summary>A presentation-attack evaluation: what was judged, the threshold sweep and the figures at the configured threshold.</summary>
public sealed record PadReport(
    string Liveness,
    string Dataset,
    int BonaFide,
    int Attacks,
    IReadOnlyDictionary<string, int> AttacksByType,
    int BonaFideWithoutContext,
    int AttacksWithoutContext,
    int NotAcquired,
    IReadOnlyList<PadOperatingPoint> Sweep,
    PadOperatingPoint Configured,
    double ApcerUpperBound95,
    double BpcerUpperBound95,
    IReadOnlyList<PadScore> Scores)
{
    /// <summary>
    /// Reads <c>file,kind,attack_type</c> (kind <c>bonafide</c> or <c>attack</c>; paths relative to the photo folder).
    /// A labels file with <c>source,file,...,kind</c> columns (shared/faces/labels.csv) works too, with attack type "unknown".
    /// </summary>
    public static IReadOnlyList<PadSample> LoadLabels(string path)
    {
        var table = CsvTable.Read(path, "file", "kind");
        return table.Rows.Select(row => LabelledPhoto.KindOf(table, row) == LabelledPhoto.Attack
                ? new PadSample(LabelledPhoto.PathOf(table, row, "file"), true, row["attack_type"] is { Length: > 0 } type ? type : "unknown")
                : new PadSample(LabelledPhoto.PathOf(table, row, "file"), false, ""))
            .ToList();
    }

    /// <summary>Scores every capture with the pipeline's liveness check and sweeps the threshold.</summary>
    public static PadReport Evaluate(FacePipeline pipeline, IReadOnlyList<PadSample> samples, string root, string dataset,
        IProgress<int>? progress = null)
    {
        var absent = samples.Where(s => !File.Exists(Path.Combine(root, s.Path))).ToList();
        if (absent.Count > 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                $"{absent.Count} of {samples.Count} labelled captures are not under {root}, such as {absent[0].Path}.");
        }

        var scores = new List<PadScore>();
        foreach (var sample in samples)
        {
            try
            {
                var liveness = pipeline.Analyze(File.ReadAllBytes(Path.Combine(root, sample.Path))).Liveness;
                scores.Add(new PadScore(sample.Path, sample.Attack, sample.AttackType, liveness.Score,
                    liveness.Reason == LivenessReasons.InsufficientContext ? liveness.Reason : null));
            }
            catch (IdVerifyException ex)
            {
                scores.Add(new PadScore(sample.Path, sample.Attack, sample.AttackType, null, ex.Code));
            }

            progress?.Report(scores.Count);
        }

        var judged = scores.Where(s => s is { Score: not null, Reason: null }).ToList();
        var bonaFide = judged.Where(s => !s.Attack).Select(s => (double)s.Score!.Value).ToList();
        var attacks = judged.Where(s => s.Attack).ToList();
        var types = attacks.GroupBy(a => a.AttackType).ToDictionary(g => g.Key, g => g.Count());

        PadOperatingPoint At(double threshold)
        {
            var byType = attacks.GroupBy(a => a.AttackType)
                .ToDictionary(g => g.Key, g => g.Count(a => a.Score >= threshold) / (double)g.Count());
            var rejected = bonaFide.Count(b => b < threshold);
            return new PadOperatingPoint(threshold, byType.Count == 0 ? 0 : byType.Values.Max(), byType,
                bonaFide.Count == 0 ? 0 : rejected / (double)bonaFide.Count, attacks.Count(a => a.Score >= threshold), rejected);
        }

        var configured = At(pipeline.Liveness.Threshold);
        return new PadReport(
            pipeline.Liveness.ModelId,
            dataset,
            bonaFide.Count,
            attacks.Count,
            types,
            scores.Count(s => !s.Attack && s.Reason == LivenessReasons.InsufficientContext),
            scores.Count(s => s.Attack && s.Reason == LivenessReasons.InsufficientContext),
            scores.Count(s => s.Score is null),
            Enumerable.Range(1, 19).Select(i => At(i * 0.05)).ToList(),
            configured,
            // The overall APCER is the worst attack type's, so its bound is too.
            attacks.GroupBy(a => a.AttackType)
                .Select(g => ScoreStatistics.UpperBound95(g.Count(a => a.Score >= configured.Threshold), g.Count()))
                .DefaultIfEmpty(1).Max(),
            ScoreStatistics.UpperBound95(configured.BonaFideRejected, Math.Max(1, bonaFide.Count)),
            scores);
    }
}
