namespace IdVerify.Core.Evaluation;

/// <summary>
/// Conservative, per-source, out-of-sample calibration: each source is split by identity into two folds; each fold
/// picks, per target, the lowest threshold whose 95% Clopper–Pearson upper bound on the FMR is within the target
/// and is checked on the other fold. Each source is also calibrated on all its pairs (fold <see cref="WholeSource"/>): on
/// lfw_devtrain the cross-fold pairs ran hotter than either fold, so a fold's threshold alone did not hold on the whole
/// source. The shipped threshold is the strictest of them all (the worst subgroup decides).
/// </summary>
public sealed record HeldOutCalibration(
    IReadOnlyList<CalibrationSourceSummary> Sources,
    IReadOnlyList<FoldCalibration> Folds,
    IReadOnlyList<ShippedThreshold> Shipped,
    IReadOnlyList<SourceAtThreshold> AtShipped,
    string Split)
{
    public static readonly double[] Targets = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>The fold number of a calibration over all of a source's pairs (nothing held out).</summary>
    public const int WholeSource = -1;

    public static HeldOutCalibration Run(IReadOnlyList<CalibrationSource> sources, IReadOnlyList<double>? targets = null)
    {
        targets ??= Targets;
        var folds = new List<FoldCalibration>();
        var summaries = new List<CalibrationSourceSummary>();
        var whole = new Dictionary<string, PairScores>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var parts = new[] { 0, 1 }.Select(f => PairScores.Of(source.Faces.Where(x => IdentitySplit.FoldOf(x.IdentityKey) == f).ToList())).ToArray();
            for (var fold = 0; fold < 2; fold++)
            {
                var heldOut = parts[1 - fold];
                foreach (var target in targets)
                {
                    var calibrated = ConservativeThreshold.Choose(parts[fold], target);
                    var falseMatches = calibrated is null ? 0 : heldOut.FalseMatches(calibrated.Threshold);
                    folds.Add(new FoldCalibration(source.Name, fold, target, calibrated, heldOut.ImpostorsDescending.Length, falseMatches,
                        heldOut.ImpostorsDescending.Length == 0 ? 1 : ScoreStatistics.UpperBound95((int)falseMatches, heldOut.ImpostorsDescending.Length)));
                }
            }

            var all = PairScores.Of(source.Faces);
            whole[source.Name] = all;
            folds.AddRange(targets.Select(target => new FoldCalibration(source.Name, WholeSource, target, ConservativeThreshold.Choose(all, target), 0, 0, 1)));
            summaries.Add(new CalibrationSourceSummary(source.Name, source.Photos, source.FailuresToAcquire.Count,
                source.Faces.Select(f => f.IdentityKey).Distinct(StringComparer.Ordinal).Count(),
                all.Genuine.Length, all.ImpostorsDescending.Length,
                [.. parts.Select(p => p.ImpostorsDescending.Length)], source.FailuresToAcquire));
        }

        var shipped = new List<ShippedThreshold>();
        foreach (var target in targets)
        {
            var candidates = folds.Where(f => f.FmrTarget == target).ToList();
            var supported = candidates.Where(f => f.Calibrated is not null).ToList();
            if (supported.Count > 0)
            {
                shipped.Add(new ShippedThreshold(target, supported.MaxBy(f => f.Calibrated!.Threshold)!, supported.Count, candidates.Count));
            }
        }

        var atShipped = shipped.SelectMany(s => sources.Select(source =>
        {
            var scores = whole[source.Name];
            return new SourceAtThreshold(source.Name, s.FmrTarget, s.Threshold, scores.Genuine.Length, scores.FalseNonMatches(s.Threshold),
                scores.ImpostorsDescending.Length, scores.FalseMatches(s.Threshold));
        })).ToList();

        return new HeldOutCalibration(summaries, folds, shipped, atShipped, IdentitySplit.Description);
    }
}
