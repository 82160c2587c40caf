using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Models;

/// <summary>
/// An input tensor over a rented array: the detector's 2 MB input per request would otherwise land on the large
/// object heap and turn into gen-2 collections, the tail latency of a busy service.
/// </summary>
public sealed class PooledTensor : IDisposable
{
    // A pool of its own, not ArrayPool.Shared: the shared pool parks one array per size in every thread that returned
    // one, so a thread-pool burst left tens of MB of 5 MB detector inputs behind in idle threads. This pool keeps at
    // most a few arrays per size, whichever thread asks.
    private static readonly ArrayPool<float> Pool = ArrayPool<float>.Create(maxArrayLength: 1 << 23, maxArraysPerBucket: 4);

    private float[]? buffer;

    public PooledTensor(long[] shape, bool clear = true)
    {
        Shape = shape;
        Length = (int)shape.Aggregate(1L, (a, b) => a * b);
        buffer = Pool.Rent(Length);
        if (clear)
        {
            Span.Clear();
        }
    }

    public long[] Shape { get; }

    public int Length { get; }

    public Span<float> Span => buffer.AsSpan(0, Length);

    /// <summary>An ONNX Runtime value over the buffer (no copy); dispose it before this.</summary>
    public OrtValue ToOrtValue() => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, Length), Shape);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            Pool.Return(rented);
        }
    }
}
