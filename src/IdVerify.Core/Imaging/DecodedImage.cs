using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Imaging;

/// <summary>A decoded, upright RGB photo.</summary>
public sealed class DecodedImage(Image<Rgb24> image, string format) : IDisposable
{
    public Image<Rgb24> Image { get; } = image;

    public string Format { get; } = format;

    public int Width => Image.Width;

    public int Height => Image.Height;

    public void Dispose() => Image.Dispose();
}
