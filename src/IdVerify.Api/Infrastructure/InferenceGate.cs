using System.Threading.RateLimiting;
using IdVerify.Core;
using IdVerify.Core.Diagnostics;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// A bounded inference queue on the framework's <see cref="ConcurrencyLimiter"/>: at most one pipeline request per core
/// runs, a few wait (oldest first), and the rest are turned away at once with 503 + Retry-After, so latency under
/// overload stays bounded instead of growing without limit. Entered only once the request body is in memory
/// (<see cref="InferenceGateFilter"/>), so a slow upload never holds a slot.
/// </summary>
public sealed class InferenceGate : IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly IdVerifyMetrics metrics;

    public InferenceGate(IOptions<AdmissionSettings> settings, IdVerifyMetrics metrics)
    {
        this.metrics = metrics;
        Capacity = settings.Value.MaxConcurrentRequests > 0 ? settings.Value.MaxConcurrentRequests : Environment.ProcessorCount;
        QueueLimit = settings.Value.MaxQueuedRequests;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Capacity,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int Capacity { get; }

    public int QueueLimit { get; }

    /// <summary>Requests running and waiting now.</summary>
    public (int Running, int Queued) Load
    {
        get
        {
            var statistics = limiter.GetStatistics()!;
            return (Capacity - (int)statistics.CurrentAvailablePermits, (int)statistics.CurrentQueuedCount);
        }
    }

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            metrics.RecordQueueRejection();
            throw new IdVerifyException(ErrorCodes.Overloaded, $"{Capacity} requests are running and {QueueLimit} are waiting; retry in a moment.");
        }

        return lease;
    }

    public void Dispose() => limiter.Dispose();
}
