using IdVerify.Core.Templates;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdVerify.Api.Endpoints;

/// <summary>Ready only while the store takes writes: every verify writes its decision and audit record.</summary>
public sealed class StoreReadyCheck(IStoreHealth store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.CheckAsync(cancellationToken) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("store writable");
}
