using IdVerify.Api.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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

public static class HealthEndpoints
{
    public static IServiceCollection AddIdVerifyHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ModelsReadyCheck>("models", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health");
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).WithTags("Health");
        return routes;
    }
}
