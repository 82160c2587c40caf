using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IdVerify.Api.Endpoints;

public static class HealthEndpoints
{
    public static IServiceCollection AddIdVerifyHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ModelsReadyCheck>("models", tags: ["ready"])
            .AddCheck<InferenceQueueCheck>("inference-queue", tags: ["ready"])
            .AddCheck<StoreReadyCheck>("store", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // Probes carry no key.
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health").AllowAnonymous();
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).WithTags("Health").AllowAnonymous();
        return routes;
    }
}
