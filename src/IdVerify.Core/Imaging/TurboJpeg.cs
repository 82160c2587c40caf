using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Imaging;

/// <summary>
/// JPEG decoding by libjpeg-turbo's TurboJPEG API (Debian's libturbojpeg0, the decoder behind OpenCV's imdecode),
/// straight into the RGB buffer the pipeline reads, in full or at 1/2, 1/4 or 1/8 from the DCT coefficients. A 640×480
/// camera frame (quality 90) on this project's 2-core machine: ImageSharp 2.2 ms, Skia's bundled libjpeg 3.6 ms,
/// TurboJPEG 1.4 ms, OpenCV 1.5 ms (p50 of 1,200). Where the library is absent (not Linux, or not installed)
/// <see cref="IsAvailable"/> is false and <see cref="ImageDecoder"/> decodes as before.
/// </summary>
internal static class TurboJpeg
{
    private const string Library = "libturbojpeg.so.0";

    // TJPF_RGB; TJCS_CMYK and TJCS_YCCK, which TurboJPEG cannot convert to RGB.
    private const int RgbPixels = 0;
    private const int CmykColorspace = 3;
    private const int YcckColorspace = 4;

    /// <summary>
    /// TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS: corrupt entropy data stops at the first warning instead of decoding on
    /// as grey (any warning fails the decode: none of the 10,192 JPEGs of ../shared/faces raises one), and a progressive
    /// JPEG may not have more than 500 scans (a small file of thousands of near-empty scans would otherwise keep a core
    /// busy for a long time).
    /// </summary>
    private const int Flags = 8192 | 32768;

    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, typeof(TurboJpeg).Assembly, null, out var handle)
        && NativeLibrary.TryGetExport(handle, "tjDecompress2", out _);

    /// <summary>
    /// The JPEG at 1/<paramref name="denominator"/> of its size, or null for what TurboJPEG cannot turn into RGB (CMYK),
    /// a decompressor it could not allocate (the process's trouble, not the file's) or a buffer ImageSharp could not give
    /// in one piece, which the caller decodes another way.
    /// </summary>
    /// <exception cref="InvalidDataException">the data is corrupt; the message is TurboJPEG's, for the log only.</exception>
    public static Image<Rgb24>? Decode(Configuration configuration, byte[] bytes, int denominator)
    {
        var handle = tjInitDecompress();
        if (handle == 0)
        {
            return null;
        }

        try
        {
            var size = new CULong((nuint)bytes.Length);
            if (tjDecompressHeader3(handle, ref MemoryMarshal.GetArrayDataReference(bytes), size, out var width, out var height, out _, out var colorspace) != 0)
            {
                throw Failure(handle);
            }

            if (colorspace is CmykColorspace or YcckColorspace)
            {
                return null;
            }

            var (scaledWidth, scaledHeight) = ((width + denominator - 1) / denominator, (height + denominator - 1) / denominator);
            var image = new Image<Rgb24>(configuration, scaledWidth, scaledHeight);
            if (!image.DangerousTryGetSinglePixelMemory(out var pixels))
            {
                image.Dispose();
                return null;
            }

            var target = MemoryMarshal.AsBytes(pixels.Span);
            if (tjDecompress2(handle, ref MemoryMarshal.GetArrayDataReference(bytes), size, ref MemoryMarshal.GetReference(target),
                    scaledWidth, scaledWidth * 3, scaledHeight, RgbPixels, Flags) != 0)
            {
                image.Dispose();
                throw Failure(handle);
            }

            return image;
        }
        finally
        {
            _ = tjDestroy(handle);
        }
    }

    private static InvalidDataException Failure(nint handle) =>
        new($"TurboJPEG: {Marshal.PtrToStringAnsi(tjGetErrorStr2(handle))}");

    [DllImport(Library)]
    private static extern nint tjInitDecompress();

    [DllImport(Library)]
    private static extern int tjDestroy(nint handle);

    [DllImport(Library)]
    private static extern int tjDecompressHeader3(nint handle, ref byte jpeg, CULong size, out int width, out int height, out int subsampling,
        out int colorspace);

    [DllImport(Library)]
    private static extern int tjDecompress2(nint handle, ref byte jpeg, CULong size, ref byte destination, int width, int pitch, int height,
        int pixelFormat, int flags);

    [DllImport(Library)]
    private static extern nint tjGetErrorStr2(nint handle);
}
