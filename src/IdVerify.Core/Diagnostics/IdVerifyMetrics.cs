using System.Diagnostics.Metrics;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Verification;

namespace IdVerify.Core.Diagnostics;

/// <summary>
/// The service's own instruments (System.Diagnostics.Metrics; the host chooses an exporter). Labels are route
/// patterns, outcomes, reasons, stages and model ids: never a subject id, a key name or anything biometric.
/// </summary>
public sealed class IdVerifyMetrics : IDisposable
{
    public const string MeterName = "IdVerify";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _stages;
    private readonly Counter<long> _livenessRejections;
    private readonly Counter<long> _qualityRejections;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _queueRejections;

    public IdVerifyMetrics()
    {
        _requests = _meter.CreateCounter<long>("idverify.requests", "{request}", "Face and subject requests by route and outcome.");
        _stages = _meter.CreateHistogram<double>("idverify.stage.duration", "ms", "Time of each pipeline stage per photo.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000] });
        _livenessRejections = _meter.CreateCounter<long>("idverify.liveness.rejections", "{decision}", "Verifies refused by the liveness check, by reason.");
        _qualityRejections = _meter.CreateCounter<long>("idverify.quality.rejections", "{decision}", "Verifies refused for capture quality, by issue.");
        _lockouts = _meter.CreateCounter<long>("idverify.lockouts", "{lockout}", "Subjects locked after failed verifies.");
        _queueRejections = _meter.CreateCounter<long>("idverify.inference.queue.rejections", "{request}", "Face requests refused because the inference queue was full.");
    }

    /// <summary>One answered request: <paramref name="outcome"/> is verified, not_verified, ok or the problem's code.</summary>
    public void RecordRequest(string route, string outcome, string? reason = null) =>
        _requests.Add(1, new("route", route), new("outcome", outcome), new("reason", reason ?? ""));

    public void RecordVerification(VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        RecordStages("verify", result.Timings);
        if (!result.Liveness.Passed)
        {
            _livenessRejections.Add(1, new KeyValuePair<string, object?>("reason", result.Liveness.Reason ?? "attack_suspected"));
        }

        foreach (var issue in result.Verdict.Quality.Issues)
        {
            _qualityRejections.Add(1, new KeyValuePair<string, object?>("issue", issue));
        }

        if (result.Attempts.JustLocked)
        {
            _lockouts.Add(1);
        }
    }

    public void RecordEnrollment(EnrollmentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var analysis in result.Analyses)
        {
            RecordStages("enroll", analysis.Timings);
        }
    }

    public void RecordQueueRejection() => _queueRejections.Add(1);

    /// <summary>Waiting face requests, read by the exporter at each collection.</summary>
    public void ObserveQueueDepth(Func<int> queued) =>
        _meter.CreateObservableGauge("idverify.inference.queue.depth", queued, "{request}", "Face requests waiting for an inference slot.");

    /// <summary>Value 1 per serving model, its id, sha256, role and execution provider as labels.</summary>
    public void ObserveModels(Func<IEnumerable<Measurement<int>>> models) =>
        _meter.CreateObservableGauge("idverify.model.info", models, "{model}", "The models being served.");

    /// <summary>Enrolled subjects per embedder (a subject's templates all come from one embedder).</summary>
    public void ObserveSubjects(Func<IEnumerable<Measurement<long>>> subjects) =>
        _meter.CreateObservableGauge("idverify.subjects", subjects, "{subject}", "Enrolled subjects by the embedder of their templates.");

    private void RecordStages(string operation, StageTimings t)
    {
        Record(operation, "decode", t.Decode);
        Record(operation, "detect", t.Detect);
        Record(operation, "align", t.Align);
        Record(operation, "embed", t.Embed);
        Record(operation, "liveness", t.Liveness);
        if (operation == "verify")
        {
            Record(operation, "match", t.Match);
        }

        Record(operation, "total", t.Total);
    }

    private void Record(string operation, string stage, double ms) =>
        _stages.Record(ms, new("operation", operation), new("stage", stage));

    public void Dispose() => _meter.Dispose();
}
