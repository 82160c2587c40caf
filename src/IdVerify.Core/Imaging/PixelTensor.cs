using IdVerify.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Imaging;

/// <summary>Fills NCHW float tensors from RGB pixels with a model's colour order and normalisation.</summary>
public static class PixelTensor
{
    /// <summary>Writes one row of pixels into the three planes of an NCHW tensor at <paramref name="offset"/>.</summary>
    public static void WriteRow(ReadOnlySpan<Rgb24> row, Span<float> tensor, int planeSize, int offset, ModelInput input)
    {
        var bgr = string.Equals(input.ColorOrder, "BGR", StringComparison.OrdinalIgnoreCase);
        var mean = input.Mean;
        var scale = input.Scale;
        var first = tensor.Slice(offset, row.Length);
        var second = tensor.Slice(planeSize + offset, row.Length);
        var third = tensor.Slice((2 * planeSize) + offset, row.Length);
        for (var x = 0; x < row.Length; x++)
        {
            var p = row[x];
            first[x] = ((bgr ? p.B : p.R) - mean) * scale;
            second[x] = (p.G - mean) * scale;
            third[x] = ((bgr ? p.R : p.B) - mean) * scale;
        }
    }

    /// <summary>Writes a whole width×height pixel block (row-major) as one NCHW item.</summary>
    public static void Write(ReadOnlySpan<Rgb24> pixels, int width, Span<float> item, ModelInput input)
    {
        var planeSize = pixels.Length;
        for (var offset = 0; offset < pixels.Length; offset += width)
        {
            WriteRow(pixels.Slice(offset, width), item, planeSize, offset, input);
        }
    }

    /// <summary>The pixels of an image as one row-major block (no copy when the buffer is contiguous).</summary>
    public static ReadOnlyMemory<Rgb24> PixelsOf(Image<Rgb24> image)
    {
        if (image.DangerousTryGetSinglePixelMemory(out var memory))
        {
            return memory;
        }

        var copy = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(copy);
        return copy;
    }
}
