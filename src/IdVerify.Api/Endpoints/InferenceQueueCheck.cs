using IdVerify.Api.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// Saturation of the inference queue: Degraded while every slot is busy and requests wait, Unhealthy (503) once the
/// queue is full and new face requests are turned away, so a load balancer can send them elsewhere.
/// </summary>
public sealed class InferenceQueueCheck(InferenceGate gate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (running, queued) = gate.Load;
        var data = new Dictionary<string, object> { ["running"] = running, ["queued"] = queued, ["capacity"] = gate.Capacity, ["queueLimit"] = gate.QueueLimit };
        var load = $"{running} of {gate.Capacity} inference slots busy, {queued} of {gate.QueueLimit} queued";
        return Task.FromResult(running < gate.Capacity
            ? HealthCheckResult.Healthy(load, data)
            : queued >= gate.QueueLimit
                ? HealthCheckResult.Unhealthy($"{load}: the queue is full, new requests get 503 overloaded", data: data)
                : HealthCheckResult.Degraded($"{load}: requests wait", data: data));
    }
}
