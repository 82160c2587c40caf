using IdVerify.Api.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdVerify.Api.Endpoints;

/// <summary>Ready once the model bundle is loaded and warmed.</summary>
public sealed class ModelsReadyCheck(FaceEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsReady
            ? HealthCheckResult.Healthy($"models loaded in {engine.LoadTime.TotalMilliseconds:F0} ms")
            : HealthCheckResult.Unhealthy("models are loading"));
}
