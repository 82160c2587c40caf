namespace IdVerify.Core.Imaging;

/// <summary>Bounds checked before an image is fully decoded, so a hostile upload cannot exhaust memory.</summary>
public sealed record ImageLimits
{
    public long MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>40 megapixels: above any phone camera, below a decompression bomb.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    public int MaxFrames { get; init; } = 100;
}
