using System.Diagnostics.Metrics;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Diagnostics;
using IdVerify.Core.Templates;
using OpenTelemetry.Metrics;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// GET /metrics: Core's <see cref="IdVerifyMetrics"/> in the Prometheus text format, through OpenTelemetry. Scope
/// <c>admin</c>: the series tell load and refusal rates, which is operator knowledge.
/// </summary>
public static class MetricsEndpoints
{
    public static IServiceCollection AddIdVerifyMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(IdVerifyMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var metrics = services.GetRequiredService<IdVerifyMetrics>();
        var gate = services.GetRequiredService<InferenceGate>();
        var engine = services.GetRequiredService<FaceEngine>();
        var templates = services.GetRequiredService<ITemplateStore>();
        metrics.ObserveQueueDepth(() => gate.Load.Queued);
        metrics.ObserveModels(() => ServedModels(engine));
        // A scrape is rare (seconds apart) and the count is one indexed query.
        metrics.ObserveSubjects(() => templates.CountSubjectsByEmbedderAsync().GetAwaiter().GetResult()
            .Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("embedder", c.Key))));

        // The exporter maps every method; GET is the only one it answers.
        routes.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"]))
            .WithTags("Metrics").RequireAuthorization(ApiKeyScopes.Admin).ProducesAccessProblems()
            .WithName("GetMetrics")
            .WithSummary("Prometheus text exposition: requests by route and outcome, stage latencies, liveness and quality rejections, queue, lockouts, models, subjects.");
        return routes;
    }

    private static IEnumerable<Measurement<int>> ServedModels(FaceEngine engine)
    {
        if (!engine.IsReady)
        {
            return [];
        }

        using var lease = engine.Acquire();
        var pipeline = lease.Services.Pipeline;
        var provider = pipeline.Provider.Actual;
        return new[] { ("detector", pipeline.DetectorModel), ("embedder", pipeline.Embedder.Model) }
            .Concat(pipeline.Liveness.Models.Select(m => ("liveness", m.Model)))
            .Select(m => new Measurement<int>(1, new("role", m.Item1), new("id", m.Item2.Id), new("sha256", m.Item2.Sha256), new("provider", provider)))
            .ToList();
    }
}
