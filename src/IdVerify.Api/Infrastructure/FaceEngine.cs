using IdVerify.Core;
using IdVerify.Core.Verification;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Serves requests from the active model generation and swaps generations without losing a request: a request
/// holds a lease on the generation it started on; a swap publishes the new generation for new requests and
/// disposes the old one when its last lease ends.
/// </summary>
public sealed class FaceEngine : IDisposable
{
    private readonly SemaphoreSlim swapping = new(1, 1);
    private Generation? current;

    public bool IsReady => Volatile.Read(ref current) is not null;

    public TimeSpan LoadTime => Volatile.Read(ref current)?.Services.Pipeline.LoadTime ?? TimeSpan.Zero;

    /// <summary>A hold on the active generation; dispose it when the request is done.</summary>
    public Lease Acquire()
    {
        while (true)
        {
            var generation = Volatile.Read(ref current)
                ?? throw new IdVerifyException(ErrorCodes.NotReady, "The models are still loading; retry shortly.");
            Interlocked.Increment(ref generation.Leases);
            if (!Volatile.Read(ref generation.Retired))
            {
                return new Lease(generation);
            }

            // Swapped out between the read and the increment: let it go and take the new one.
            Release(generation);
        }
    }

    internal void Activate(FaceServices services) => Publish(new Generation(services));

    /// <summary>
    /// Builds and warms a new generation beside the serving one, then publishes it. If building fails, the serving
    /// generation is untouched and the failure propagates to the caller.
    /// </summary>
    public async Task<(FaceServices Old, FaceServices New)> SwapAsync(
        Func<FaceServices, CancellationToken, Task<FaceServices>> build, CancellationToken cancellationToken)
    {
        await swapping.WaitAsync(cancellationToken);
        try
        {
            var old = Volatile.Read(ref current)
                ?? throw new IdVerifyException(ErrorCodes.NotReady, "The models are still loading; retry shortly.");
            var services = await build(old.Services, cancellationToken);
            Publish(new Generation(services));
            return (old.Services, services);
        }
        finally
        {
            swapping.Release();
        }
    }

    private void Publish(Generation next)
    {
        var old = Interlocked.Exchange(ref current, next);
        if (old is not null)
        {
            Volatile.Write(ref old.Retired, true);
            TryDispose(old);
        }
    }

    private static void Release(Generation generation)
    {
        if (Interlocked.Decrement(ref generation.Leases) == 0 && Volatile.Read(ref generation.Retired))
        {
            TryDispose(generation);
        }
    }

    private static void TryDispose(Generation generation)
    {
        if (Volatile.Read(ref generation.Leases) == 0 && Interlocked.Exchange(ref generation.Disposed, 1) == 0)
        {
            generation.Services.Dispose();
        }
    }

    public void Dispose()
    {
        var last = Interlocked.Exchange(ref current, null);
        if (last is not null && Interlocked.Exchange(ref last.Disposed, 1) == 0)
        {
            last.Services.Dispose();
        }

        swapping.Dispose();
    }

    internal sealed class Generation(FaceServices services)
    {
        public readonly FaceServices Services = services;
        public int Leases;
        public bool Retired;
        public int Disposed;
    }

    public sealed class Lease : IDisposable
    {
        private Generation? generation;

        internal Lease(Generation generation) => this.generation = generation;

        public FaceServices Services => generation?.Services ?? throw new ObjectDisposedException(nameof(Lease));

        public void Dispose()
        {
            var held = Interlocked.Exchange(ref generation, null);
            if (held is not null)
            {
                Release(held);
            }
        }
    }
}
