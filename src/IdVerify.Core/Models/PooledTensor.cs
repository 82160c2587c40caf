using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Models;

/// <summary>
/// An input tensor over a rented array: the detector's 2 MB input per request would otherwise land on the large
/// object heap and turn into gen-2 collections, the tail latency of a busy service.
/// </summary>
public sealed class PooledTensor : IDisposable
{
    private float[]? buffer;

    public PooledTensor(long[] shape, bool clear = true)
    {
        Shape = shape;
        Length = (int)shape.Aggregate(1L, (a, b) => a * b);
        buffer = ArrayPool<float>.Shared.Rent(Length);
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
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
