using IdVerify.Core.Evaluation;
using ScottPlot;

namespace IdVerify.Cli.Commands;

/// <summary>The pictures people read faster than tables: DET curves and score histograms.</summary>
public static class EvaluationPlots
{
    /// <summary>FNMR against FMR on log axes, one curve per report; rates of zero are drawn at half a count.</summary>
    public static void Det(IReadOnlyList<EvaluationReport> reports, string path)
    {
        var plot = new Plot();
        foreach (var report in reports)
        {
            var stats = new ScoreStatistics(report.GenuineScores, report.ImpostorScores);
            var floorFmr = 0.5 / report.Impostors;
            var floorFnmr = 0.5 / report.Genuine;
            var points = report.GenuineScores.Concat(report.ImpostorScores).Distinct().Order()
                .Select(t => (Fmr: Math.Max(stats.Fmr(t), floorFmr), Fnmr: Math.Max(stats.Fnmr(t), floorFnmr)))
                .ToList();
            var line = plot.Add.ScatterLine(points.Select(p => Math.Log10(p.Fmr)).ToArray(), points.Select(p => Math.Log10(p.Fnmr)).ToArray());
            line.LegendText = $"{report.Embedder} (EER {report.Eer:P2})";
            line.LineWidth = 2;
        }

        double[] ticks = [-5, -4, -3, -2, -1, 0];
        string[] labels = ["1e-5", "1e-4", "1e-3", "1e-2", "0.1", "1"];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, labels);
        plot.Axes.SetLimits(-4.5, 0, -3, 0);
        plot.Title("DET: false non-match rate vs false match rate");
        plot.XLabel("FMR (impostors accepted)");
        plot.YLabel("FNMR (genuine rejected)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 650);
    }

    /// <summary>Genuine and impostor score distributions with the calibrated thresholds marked.</summary>
    public static void Histogram(EvaluationReport report, string path)
    {
        const double width = 0.02;
        var plot = new Plot();
        foreach (var (scores, name) in new[] { (report.GenuineScores, "genuine"), (report.ImpostorScores, "impostor") })
        {
            var bins = Enumerable.Range(0, 70).Select(i => -0.4 + (i * width)).ToArray();
            var fractions = bins.Select(b => scores.Count(s => s >= b && s < b + width) / (double)scores.Count).ToArray();
            var line = plot.Add.ScatterLine(bins, fractions);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = $"{name} ({scores.Count})";
            line.LineWidth = 2;
        }

        foreach (var point in report.OperatingPoints)
        {
            var marker = plot.Add.VerticalLine(point.Threshold);
            marker.LegendText = $"FMR {point.FmrTarget:G}: {point.Threshold:F4}" + (point.Supported ? "" : " (too few impostors)");
            marker.LinePattern = point.Supported ? LinePattern.Solid : LinePattern.Dotted;
        }

        plot.Title($"{report.Embedder}: cosine scores");
        plot.XLabel("cosine similarity");
        plot.YLabel("fraction of pairs");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 650);
    }
}
