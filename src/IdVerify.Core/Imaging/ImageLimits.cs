namespace IdVerify.Core.Imaging;

/// <summary>Bounds checked before an image is fully decoded, so a hostile upload cannot exhaust memory.</summary>
public sealed record ImageLimits
{
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>40 megapixels: above any phone camera, below a decompression bomb.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    public int MaxFrames { get; init; } = 100;

    /// <summary>
    /// A JPEG at least twice this on its long side is decoded at 1/2, 1/4 or 1/8 of its size, the smallest that keeps
    /// the long side at least this (a 4032×3024 phone photo: 1008×756), from its DCT coefficients; 0 decodes every photo
    /// in full. The detector sees at most 640 px anyway; a selfie's face keeps well over the 40 px between the eyes that
    /// enrollment asks for. Raise it for photos whose face is a small part of a large frame.
    /// </summary>
    public int ReducedDecodeSide { get; init; } = 1000;

    /// <summary>
    /// Decode JPEG with libjpeg-turbo (Debian's libturbojpeg0) where it is installed; false, or without it, ImageSharp
    /// decodes them (Skia the reduced ones), about 1.5× slower on a camera frame.
    /// </summary>
    public bool TurboJpeg { get; init; } = true;
}
