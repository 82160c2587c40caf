using IdVerify.Core;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// A bounded inference queue: at most one pipeline request per core runs, a few wait, and the rest are turned away
/// at once with 503 + Retry-After, so latency under overload stays bounded instead of growing without limit.
/// </summary>
public sealed class InferenceGate : IDisposable
{
    private readonly SemaphoreSlim slots;
    private readonly int maxQueued;
    private int waiting;

    public InferenceGate(IOptions<AdmissionSettings> settings)
    {
        var concurrent = settings.Value.MaxConcurrentRequests > 0 ? settings.Value.MaxConcurrentRequests : Environment.ProcessorCount;
        slots = new SemaphoreSlim(concurrent, concurrent);
        maxQueued = settings.Value.MaxQueuedRequests;
        Capacity = concurrent;
    }

    public int Capacity { get; }

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!slots.Wait(0))
        {
            if (Interlocked.Increment(ref waiting) > maxQueued)
            {
                Interlocked.Decrement(ref waiting);
                throw new IdVerifyException(ErrorCodes.Overloaded,
                    $"{Capacity} requests are running and {maxQueued} are waiting; retry in a moment.");
            }

            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref waiting);
            }
        }

        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
