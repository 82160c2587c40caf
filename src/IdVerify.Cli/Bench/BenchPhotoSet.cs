using IdVerify.Core;
using IdVerify.Core.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Size = SixLabors.ImageSharp.Size;

namespace IdVerify.Cli.Bench;

/// <summary>The photos a bench sends, read once into memory and, unless 'original', re-encoded as camera frames.</summary>
internal static class BenchPhotoSet
{
    /// <summary>Every JPEG and PNG below <paramref name="folder"/>, or else the labelled bona fide photos of <paramref name="faces"/>.</summary>
    public static List<byte[]> Load(string? folder, string faces, Size? frame)
    {
        IEnumerable<string> files;
        if (folder is not null)
        {
            if (!Directory.Exists(folder))
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{folder}: no such folder of photos.");
            }

            files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                            || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            files = LabelledPhoto.Load(Path.Combine(faces, "labels.csv"))
                .Where(p => p.Identity.Length > 0 && p.Kind == LabelledPhoto.BonaFide)
                .Select(p => Path.Combine(faces, p.Path));
        }

        var photos = files.Order(StringComparer.Ordinal).Select(f => frame is { } size ? AsFrame(f, size) : File.ReadAllBytes(f)).ToList();
        return photos.Count > 0 ? photos : throw new IdVerifyException(ErrorCodes.ImageMissing, "No photos to benchmark.");
    }

    private static byte[] AsFrame(string path, Size size)
    {
        using var image = Load(path);
        image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = size, Mode = ResizeMode.Crop }));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    private static Image<Rgb24> Load(string path)
    {
        try
        {
            return Image.Load<Rgb24>(path);
        }
        catch (ImageFormatException ex)
        {
            throw new IdVerifyException(ErrorCodes.ImageUnreadable, $"{path}: {ex.Message}", ex);
        }
    }
}
