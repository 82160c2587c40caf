using System.Numerics;
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
        for (var y = 0; y < outputHeight; y++)
        {
            for (var x = 0; x < outputWidth; x++)
            {
                var s = Vector2.Transform(new Vector2(x, y), outputToSource);
                var x0 = (int)MathF.Floor(s.X);
                var y0 = (int)MathF.Floor(s.Y);
                var fx = s.X - x0;
                var fy = s.Y - y0;
                var top = Vector3.Lerp(
                    At(source, sourceWidth, sourceHeight, x0, y0, replicateBorder),
                    At(source, sourceWidth, sourceHeight, x0 + 1, y0, replicateBorder), fx);
                var bottom = Vector3.Lerp(
                    At(source, sourceWidth, sourceHeight, x0, y0 + 1, replicateBorder),
                    At(source, sourceWidth, sourceHeight, x0 + 1, y0 + 1, replicateBorder), fx);
                var value = Vector3.Clamp(Vector3.Lerp(top, bottom, fy) + new Vector3(0.5f), Vector3.Zero, new Vector3(255));
                output[(y * outputWidth) + x] = new Rgb24((byte)value.X, (byte)value.Y, (byte)value.Z);
            }
        }
    }

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

        var p = source[(y * width) + x];
        return new Vector3(p.R, p.G, p.B);
    }
}
