using System.Buffers;
using IdVerify.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Core.Detection;

/// <summary>
/// A photo scaled down (never enlarged: a portrait blown up gains no detail and gets a face too big for the largest
/// anchors) to fit a detector's input, as one row-major block of pixels.
/// </summary>
internal sealed class DetectorInput : IDisposable
{
    private readonly Image<Rgb24>? resized;
    private readonly ReadOnlyMemory<Rgb24> pixels;
    private Rgb24[]? rented;

    private DetectorInput(ReadOnlyMemory<Rgb24> pixels, int width, int height, float scale, Image<Rgb24>? resized = null, Rgb24[]? rented = null)
    {
        this.pixels = pixels;
        Width = width;
        Height = height;
        Scale = scale;
        this.resized = resized;
        this.rented = rented;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Input pixels per photo pixel (1 when the photo fits already).</summary>
    public float Scale { get; }

    public ReadOnlySpan<Rgb24> Pixels => pixels.Span;

    public static DetectorInput Fit(Image<Rgb24> image, int maxWidth, int maxHeight)
    {
        var scale = Math.Min(1f, Math.Min(maxWidth / (float)image.Width, maxHeight / (float)image.Height));
        var width = Math.Clamp((int)MathF.Round(image.Width * scale), 1, maxWidth);
        var height = Math.Clamp((int)MathF.Round(image.Height * scale), 1, maxHeight);
        if (width == image.Width && height == image.Height)
        {
            return new DetectorInput(PixelTensor.PixelsOf(image), width, height, 1f);
        }

        if (scale < 0.5f)
        {
            // Large photos: a filtered resize, since bilinear sampling would skip most pixels and alias.
            var small = image.Clone(x => x.Resize(width, height, KnownResamplers.Triangle));
            return new DetectorInput(PixelTensor.PixelsOf(small), width, height, width / (float)image.Width, resized: small);
        }

        // A kiosk frame (e.g. 640×480 → 480×360): ImageSharp's resize cost 4 ms here; a bilinear one is enough at these ratios.
        var buffer = ArrayPool<Rgb24>.Shared.Rent(width * height);
        BilinearResizer.Resize(PixelTensor.PixelsOf(image).Span, image.Width, image.Height, buffer.AsSpan(0, width * height), width, height);
        return new DetectorInput(buffer.AsMemory(0, width * height), width, height, width / (float)image.Width, rented: buffer);
    }

    public void Dispose()
    {
        resized?.Dispose();
        if (Interlocked.Exchange(ref rented, null) is { } buffer)
        {
            ArrayPool<Rgb24>.Shared.Return(buffer);
        }
    }
}
