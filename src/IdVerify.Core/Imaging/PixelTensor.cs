using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        var x = 0;
        if (RgbVectors.IsSupported)
        {
            // 16 pixels a step: their 48 bytes split into one vector per channel, each widened to floats. The same
            // subtraction and multiplication as below, so the same values to the bit.
            ref var bytes = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(row));
            var means = Vector128.Create(mean);
            var scales = Vector128.Create(scale);
            for (; x + 16 <= row.Length; x += 16)
            {
                var a = Vector128.LoadUnsafe(ref bytes, (nuint)(3 * x));
                var b = Vector128.LoadUnsafe(ref bytes, (nuint)((3 * x) + 16));
                var c = Vector128.LoadUnsafe(ref bytes, (nuint)((3 * x) + 32));
                var red = RgbVectors.Channel(a, b, c, 0);
                var blue = RgbVectors.Channel(a, b, c, 2);
                Store(bgr ? blue : red, means, scales, first, x);
                Store(RgbVectors.Channel(a, b, c, 1), means, scales, second, x);
                Store(bgr ? red : blue, means, scales, third, x);
            }
        }

        for (; x < row.Length; x++)
        {
            var p = row[x];
            first[x] = ((bgr ? p.B : p.R) - mean) * scale;
            second[x] = (p.G - mean) * scale;
            third[x] = ((bgr ? p.R : p.B) - mean) * scale;
        }
    }

    private static void Store(Vector128<byte> values, Vector128<float> mean, Vector128<float> scale, Span<float> plane, int x)
    {
        var (low, high) = Vector128.Widen(values);
        var (v0, v1) = Vector128.Widen(low);
        var (v2, v3) = Vector128.Widen(high);
        ref var target = ref MemoryMarshal.GetReference(plane.Slice(x, 16));
        ((Vector128.ConvertToSingle(v0.AsInt32()) - mean) * scale).StoreUnsafe(ref target);
        ((Vector128.ConvertToSingle(v1.AsInt32()) - mean) * scale).StoreUnsafe(ref target, 4);
        ((Vector128.ConvertToSingle(v2.AsInt32()) - mean) * scale).StoreUnsafe(ref target, 8);
        ((Vector128.ConvertToSingle(v3.AsInt32()) - mean) * scale).StoreUnsafe(ref target, 12);
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
