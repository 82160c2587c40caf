using OpenCvSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Tests;

/// <summary>Per-channel absolute differences, in levels, between two pictures of the same size.</summary>
internal static class PixelDifferences
{
    public static int[] Between(IReadOnlyList<Rgb24> first, IReadOnlyList<Rgb24> second)
    {
        Assert.Equal(first.Count, second.Count);
        var differences = new int[3 * first.Count];
        for (var i = 0; i < first.Count; i++)
        {
            differences[3 * i] = Math.Abs(first[i].R - second[i].R);
            differences[(3 * i) + 1] = Math.Abs(first[i].G - second[i].G);
            differences[(3 * i) + 2] = Math.Abs(first[i].B - second[i].B);
        }

        return differences;
    }

    public static Rgb24[] PixelsOf(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    /// <summary>An 8-bit three-channel OpenCV image, its channels in the order they are stored (no BGR swap).</summary>
    public static Rgb24[] PixelsOf(Mat image)
    {
        image.GetArray(out Vec3b[] pixels);
        return [.. pixels.Select(p => new Rgb24(p.Item0, p.Item1, p.Item2))];
    }
}
