using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Core.Evaluation;

/// <summary>
/// A choice that <c>eval</c> measures against the service's own pipeline: flip fusion (the aligned face and its mirror
/// embedded, added and normalised), and photos scaled down (what the minimum face size costs or saves). The service
/// runs <see cref="Service"/>; the others exist to be measured.
/// </summary>
/// <param name="Scale">each photo is resized by this factor (bicubic, re-encoded losslessly) before the pipeline sees it.</param>
public sealed record EmbeddingVariant(bool FlipFusion, double Scale = 1)
{
    public static readonly EmbeddingVariant Service = new(false);

    /// <summary>Part of the embedding cache's key and of the report's name.</summary>
    public string Name => (FlipFusion ? "+flip" : "") + (Scale == 1 ? "" : FormattableString.Invariant($"+scale{Scale:0.###}"));

    /// <summary>The photo as this variant hands it to the pipeline.</summary>
    public byte[] Prepare(byte[] photo)
    {
        if (Scale == 1)
        {
            return photo;
        }

        using var image = Image.Load<Rgb24>(photo);
        image.Mutate(x => x.AutoOrient().Resize(Math.Max(1, (int)Math.Round(image.Width * Scale)), Math.Max(1, (int)Math.Round(image.Height * Scale)),
            KnownResamplers.Bicubic));
        using var encoded = new MemoryStream();
        image.SaveAsPng(encoded);
        return encoded.ToArray();
    }
}
