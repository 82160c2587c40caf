using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Imaging;

/// <summary>
/// Bilinear sampling of an output grid through an affine map into the source image, with integer
/// coordinates at pixel centres (OpenCV's convention for warpAffine and resize).
/// </summary>
public static class AffineSampler
{
    /// <param name="outputToSource">maps an output pixel (x, y) to source coordinates.</param>
    /// <param name="replicateBorder">clamp to the edge (as resize does) instead of sampling black (as warpAffine does).</param>
    public static void Sample(
        ReadOnlySpan<Rgb24> source, int sourceWidth, int sourceHeight,
        Matrix3x2 outputToSource, Span<Rgb24> output, int outputWidth, int outputHeight, bool replicateBorder)
    {
        ref var origin = ref MemoryMarshal.GetReference(source);
        for (var y = 0; y < outputHeight; y++)
        {
            var row = output.Slice(y * outputWidth, outputWidth);
            for (var x = 0; x < row.Length; x++)
            {
                var s = Vector2.Transform(new Vector2(x, y), outputToSource);
                var x0 = (int)MathF.Floor(s.X);
                var y0 = (int)MathF.Floor(s.Y);
                var fx = s.X - x0;
                var fy = s.Y - y0;
                Vector3 topLeft, topRight, bottomLeft, bottomRight;

                // Away from the border (nearly every pixel of a face crop) the four neighbours are read without a check
                // each: the same bytes out, 7% less time per crop (interleaved A/B, 4,000 crops).
                if ((uint)x0 < (uint)(sourceWidth - 1) && (uint)y0 < (uint)(sourceHeight - 1))
                {
                    ref var p = ref Unsafe.Add(ref origin, (y0 * sourceWidth) + x0);
                    topLeft = Of(p);
                    topRight = Of(Unsafe.Add(ref p, 1));
                    bottomLeft = Of(Unsafe.Add(ref p, sourceWidth));
                    bottomRight = Of(Unsafe.Add(ref p, sourceWidth + 1));
                }
                else
                {
                    topLeft = At(source, sourceWidth, sourceHeight, x0, y0, replicateBorder);
                    topRight = At(source, sourceWidth, sourceHeight, x0 + 1, y0, replicateBorder);
                    bottomLeft = At(source, sourceWidth, sourceHeight, x0, y0 + 1, replicateBorder);
                    bottomRight = At(source, sourceWidth, sourceHeight, x0 + 1, y0 + 1, replicateBorder);
                }

                var value = Vector3.Clamp(Vector3.Lerp(Vector3.Lerp(topLeft, topRight, fx), Vector3.Lerp(bottomLeft, bottomRight, fx), fy) + new Vector3(0.5f),
                    Vector3.Zero, new Vector3(255));
                row[x] = new Rgb24((byte)value.X, (byte)value.Y, (byte)value.Z);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector3 Of(Rgb24 p) => new(p.R, p.G, p.B);

    private static Vector3 At(ReadOnlySpan<Rgb24> source, int width, int height, int x, int y, bool replicate)
    {
        if ((uint)x >= (uint)width || (uint)y >= (uint)height)
        {
            if (!replicate)
            {
                return Vector3.Zero;
            }

            x = Math.Clamp(x, 0, width - 1);
            y = Math.Clamp(y, 0, height - 1);
        }

        return Of(source[(y * width) + x]);
    }
}
