using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SkiaSharp;

namespace IdVerify.Core.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) with EXIF orientation applied. Every upload is treated as
/// hostile: the container is walked first (<see cref="ImageStructure"/>), then the header is identified, so byte,
/// pixel and frame limits are enforced before any pixel buffer is allocated, and whatever the parser throws on a
/// malformed file becomes an <see cref="ImageDecodeException"/> whose message never repeats the parser's.
/// </summary>
public sealed class ImageDecoder
{
    /// <summary>
    /// Images up to this many pixels (2560×1600, 12 MB decoded) are never held to <see cref="MaxPixelsPerByte"/>.
    /// </summary>
    internal const long BombCheckFloorPixels = 4_000_000;

    /// <summary>
    /// The most pixels per byte of file an image above <see cref="BombCheckFloorPixels"/> may declare. The most
    /// compressible of the 10,269 photos in ../shared/faces reach 24.5 (5× below); a flat grey 6000×6600 frame reaches
    /// 64 as JPEG, 250-300 as PNG, 590 as WebP and 1,270 as GIF, and a 92-byte PNG declaring 6000×6600 (+120 MB to
    /// decode) 430,000.
    /// </summary>
    internal const long MaxPixelsPerByte = 128;

    private static readonly Configuration KnownFormats = Configuration.Default.Clone();
    private readonly Configuration configuration;
    private readonly ImageLimits limits;
    private readonly bool turboJpeg;

    public ImageDecoder(ImageLimits limits)
    {
        this.limits = limits;
        turboJpeg = limits.TurboJpeg && TurboJpeg.IsAvailable;
        configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule(),
            new BmpConfigurationModule(),
            new GifConfigurationModule())
        {
            PreferContiguousImageBuffers = true,
            // A small pool (ImageSharp's default keeps up to an eighth of the machine's memory after a burst) and a cap
            // on any one buffer: the decoded Rgb24 image, a lossless WebP's 4-byte ARGB plane or a progressive JPEG's
            // coefficients of the largest image the pixel limit lets through, so no header can make it allocate more.
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                MaximumPoolSizeMegabytes = 64,
                AllocationLimitMegabytes = (int)Math.Min(int.MaxValue, (limits.MaxPixels * 4 / (1024 * 1024)) + 16),
            }),
        };
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder
        {
            DecodingMode = FrameDecodingMode.First,
            MaxFrames = (uint)limits.MaxFrames,
        });
    }

    /// <summary>What decodes JPEG here: libjpeg-turbo's TurboJPEG where installed, else ImageSharp (Skia for reduced decodes).</summary>
    public string JpegDecoder => turboJpeg ? "libjpeg-turbo" : "ImageSharp";

    public DecodedImage Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ImageDecodeException(ErrorCodes.ImageMissing, "The image is empty.");
        }

        if (bytes.Length > limits.MaxBytes)
        {
            throw new ImageDecodeException(ErrorCodes.ImageTooLarge,
                $"The image is {bytes.Length:N0} bytes; the limit is {limits.MaxBytes:N0}.");
        }

        var format = Image.DetectFormat(configuration, bytes);
        if (format is null)
        {
            var other = Image.DetectFormat(KnownFormats, bytes);
            throw new ImageDecodeException(ErrorCodes.UnsupportedFormat, other is null
                ? "The data is not an image in a supported format (JPEG, PNG, WebP, BMP, GIF)."
                : $"{other.Name} images are not supported; send JPEG, PNG, WebP, BMP or GIF.");
        }

        var name = format.Name.ToUpperInvariant();
        if (ImageStructure.Check(format, bytes, limits.MaxFrames) is { } broken)
        {
            throw broken;
        }

        var info = Run(name, "header", () => Image.Identify(configuration, bytes, out _));
        if (info is null || info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageDecodeException(ErrorCodes.ImageUnreadable, $"The {name} header is corrupt.");
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > limits.MaxPixels)
        {
            throw new ImageDecodeException(ErrorCodes.ImageTooLarge,
                $"The image is {info.Width}x{info.Height}; the limit is {limits.MaxPixels:N0} pixels.");
        }

        if (pixels > BombCheckFloorPixels && pixels > bytes.Length * MaxPixelsPerByte)
        {
            throw new ImageDecodeException(ErrorCodes.ImageTooLarge,
                $"The image declares {info.Width}x{info.Height} pixels in only {bytes.Length:N0} bytes (a decompression bomb); " +
                $"an image of that size must be at least {pixels / MaxPixelsPerByte:N0} bytes.");
        }

        var jpeg = format == JpegFormat.Instance;
        var reduction = jpeg ? ReductionOf(Math.Max(info.Width, info.Height), limits.ReducedDecodeSide) : 1;
        var image = Run(name, "data", () => (jpeg && turboJpeg ? TurboJpeg.Decode(configuration, bytes, reduction) : null)
            ?? (reduction > 1 ? DecodeReduced(bytes, reduction) : Image.Load<Rgb24>(configuration, bytes)));
        try
        {
            // ImageSharp parses EXIF when a value is first read, so a malformed EXIF block fails here, not in Identify.
            var orientation = Run(name, "metadata", () => info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? ExifOrientationMode.TopLeft);
            var upright = Run(name, "data", () => Orient(configuration, image, orientation));
            if (!ReferenceEquals(upright, image))
            {
                image.Dispose();
            }

            upright.Metadata.ExifProfile = null;
            return new DecodedImage(upright, format.Name);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>The DCT scaling denominator (8, 4, 2 or 1) that keeps the long side at least <paramref name="side"/>.</summary>
    internal static int ReductionOf(int longSide, int side)
    {
        var denominator = 8;
        while (denominator > 1 && (side <= 0 || longSide / denominator < side))
        {
            denominator /= 2;
        }

        return denominator;
    }

    /// <summary>
    /// Without TurboJPEG, a JPEG decoded at 1/<paramref name="denominator"/> of its size by Skia's libjpeg, which skips the
    /// inverse DCT's high frequencies and the pixels that a downscale would drop; ImageSharp 2 always decodes in full
    /// (a 12 MP photo: 175 ms, and 106 ms more to shrink it for the detector, against 84 ms at 1/4 on this machine).
    /// Only ever reached after the structure walk and the header's limits, on a buffer no larger than the full decode's.
    /// </summary>
    private Image<Rgb24> DecodeReduced(byte[] bytes, int denominator)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("Skia cannot open the JPEG.");
        var size = codec.GetScaledDimensions(1f / denominator);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        if (codec.GetPixels(info, bitmap.GetPixels()) is not SKCodecResult.Success and var result)
        {
            throw new InvalidDataException($"Skia decoded the JPEG with {result}.");
        }

        var image = new Image<Rgb24>(configuration, size.Width, size.Height);
        image.ProcessPixelRows(rows =>
        {
            var rgba = bitmap.GetPixelSpan();
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var source = rgba.Slice(y * bitmap.RowBytes, row.Length * 4);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24(source[4 * x], source[(4 * x) + 1], source[(4 * x) + 2]);
                }
            }
        });
        return image;
    }

    /// <summary>
    /// Runs one ImageSharp step on untrusted bytes. A malformed file can make ImageSharp 2 throw nearly anything (a
    /// DivideByZeroException on a BMP with no bit depth, a NullReferenceException on a JPEG segment length one off,
    /// "collection was modified" on an EXIF IFD that points at itself), so every exception is the file's fault and
    /// its message, which names ImageSharp's internals, stays in the inner exception for the log.
    /// </summary>
    private static T Run<T>(string format, string part, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (NotSupportedException ex)
        {
            // ImageSharp 2 refuses variants of a known format (for instance 12-bit or arithmetic-coded JPEG).
            throw new ImageDecodeException(ErrorCodes.UnsupportedFormat, $"This {format} variant is not supported.", ex);
        }
        catch (Exception ex) when (ex is InvalidMemoryOperationException or OutOfMemoryException)
        {
            // One allocation the header asked for was refused (above the allocator's cap, or larger than memory): the
            // process is unharmed, the file is a bomb.
            throw new ImageDecodeException(ErrorCodes.ImageTooLarge, $"The {format} {part} asks for more memory than an image within the limits needs.", ex);
        }
        catch (Exception ex)
        {
            throw new ImageDecodeException(ErrorCodes.ImageUnreadable, part switch
            {
                "header" => $"The {format} header or its metadata is corrupt.",
                "metadata" => $"The {format}'s EXIF metadata is corrupt.",
                _ => $"The {format} data is corrupt or truncated.",
            }, ex);
        }
    }

    /// <summary>
    /// Applies an EXIF orientation by copying pixels. ImageSharp's AutoOrient goes through its general
    /// rotate processor and costs about 10 ms on a 640×480 photo; a direct copy costs well under one.
    /// </summary>
    internal static Image<Rgb24> Orient(Configuration configuration, Image<Rgb24> image, ushort orientation)
    {
        if (orientation is <= ExifOrientationMode.TopLeft or > ExifOrientationMode.LeftBottom)
        {
            return image;
        }

        int w = image.Width, h = image.Height;
        var swap = orientation >= ExifOrientationMode.LeftTop;
        var (ow, oh) = swap ? (h, w) : (w, h);
        var source = PixelTensor.PixelsOf(image);

        // Written straight into an image from the decoder's allocator: a managed copy of a 40 MP photo would be
        // 120 MB of large-object-heap garbage per rotated upload.
        var upright = new Image<Rgb24>(configuration, ow, oh);
        upright.ProcessPixelRows(rows =>
        {
            var pixels = source.Span;
            for (var y = 0; y < oh; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < ow; x++)
                {
                    var (sx, sy) = orientation switch
                    {
                        ExifOrientationMode.TopRight => (w - 1 - x, y),
                        ExifOrientationMode.BottomRight => (w - 1 - x, h - 1 - y),
                        ExifOrientationMode.BottomLeft => (x, h - 1 - y),
                        ExifOrientationMode.LeftTop => (y, x),
                        ExifOrientationMode.RightTop => (y, h - 1 - x),
                        ExifOrientationMode.RightBottom => (w - 1 - y, h - 1 - x),
                        _ => (w - 1 - y, x),
                    };
                    row[x] = pixels[(sy * w) + sx];
                }
            }
        });
        return upright;
    }
}
