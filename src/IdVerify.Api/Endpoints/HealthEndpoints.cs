using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IdVerify.Api.Endpoints;

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
