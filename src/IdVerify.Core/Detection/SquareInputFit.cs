using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Core.Detection;

/// <summary>
/// Fits a photo into a fixed square detector input (SCRFD, RetinaFace) at the top left, never enlarged: a portrait blown
/// up gains no detail and gets a face too big for the largest anchors.
/// </summary>
internal static class SquareInputFit
{
    /// <summary>The photo shrunk to fit <paramref name="size"/>, or null when it fits already (use the photo itself).</summary>
    public static Image<Rgb24>? Shrink(Image<Rgb24> image, int size, out int width, out int height)
    {
        var scale = Math.Min(1f, Math.Min(size / (float)image.Width, size / (float)image.Height));
        width = Math.Clamp((int)MathF.Round(image.Width * scale), 1, size);
        height = Math.Clamp((int)MathF.Round(image.Height * scale), 1, size);
        var (w, h) = (width, height);
        return w == image.Width && h == image.Height ? null : image.Clone(x => x.Resize(w, h, KnownResamplers.Triangle));
    }
}
