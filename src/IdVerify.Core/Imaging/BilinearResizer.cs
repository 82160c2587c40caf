using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Imaging;

/// <summary>
/// Separable bilinear downscale with half-pixel centres (OpenCV's INTER_LINEAR), with per-column and per-row
/// source indices and weights computed once: the detector's resize of a camera frame in about a millisecond.
/// </summary>
public static class BilinearResizer
{
    public static void Resize(ReadOnlySpan<Rgb24> source, int sourceWidth, int sourceHeight, Span<Rgb24> output, int outputWidth, int outputHeight)
    {
        var (x0, x1, wx) = Table(sourceWidth, outputWidth);
        var (y0, y1, wy) = Table(sourceHeight, outputHeight);

        // 8-bit fixed-point weights: two horizontal passes into integer rows, then one vertical blend per pixel.
        var upper = new int[outputWidth * 3];
        var lower = new int[outputWidth * 3];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(source);
        var outBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(output);
        for (var y = 0; y < outputHeight; y++)
        {
            Horizontal(bytes.Slice(y0[y] * sourceWidth * 3, sourceWidth * 3), x0, x1, wx, upper);
            Horizontal(bytes.Slice(y1[y] * sourceWidth * 3, sourceWidth * 3), x0, x1, wx, lower);
            var fy = wy[y];
            var row = outBytes.Slice(y * outputWidth * 3, outputWidth * 3);
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = (byte)(((upper[i] * (256 - fy)) + (lower[i] * fy) + 32768) >> 16);
            }
        }
    }

    private static void Horizontal(ReadOnlySpan<byte> line, int[] x0, int[] x1, int[] wx, int[] into)
    {
        for (var x = 0; x < x0.Length; x++)
        {
            int a = x0[x] * 3, b = x1[x] * 3, w = wx[x], o = x * 3;
            into[o] = (line[a] * (256 - w)) + (line[b] * w);
            into[o + 1] = (line[a + 1] * (256 - w)) + (line[b + 1] * w);
            into[o + 2] = (line[a + 2] * (256 - w)) + (line[b + 2] * w);
        }
    }

    private static (int[] Low, int[] High, int[] Weight) Table(int sourceSize, int outputSize)
    {
        var low = new int[outputSize];
        var high = new int[outputSize];
        var weight = new int[outputSize];
        var scale = sourceSize / (float)outputSize;
        for (var i = 0; i < outputSize; i++)
        {
            var s = Math.Clamp(((i + 0.5f) * scale) - 0.5f, 0, sourceSize - 1);
            low[i] = (int)s;
            high[i] = Math.Min(low[i] + 1, sourceSize - 1);
            weight[i] = (int)MathF.Round((s - low[i]) * 256);
        }

        return (low, high, weight);
    }
}
