using System.Numerics;
using IdVerify.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Alignment;

/// <summary>Warps a detected face onto the ArcFace 112×112 template with a least-squares similarity transform.</summary>
public static class FaceAligner
{
    /// <summary>The ArcFace reference points (insightface's arcface_dst), in 112×112 pixels.</summary>
    public static readonly IReadOnlyList<Vector2> Template =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    public static AlignedFace Align(Image<Rgb24> image, IReadOnlyList<Point2> landmarks)
    {
        var imageToFace = EstimateSimilarity(landmarks.Select(p => new Vector2(p.X, p.Y)).ToArray(), Template);
        if (!Matrix3x2.Invert(imageToFace, out var faceToImage))
        {
            throw new IdVerifyException(ErrorCodes.NoFace, "The face landmarks are degenerate.");
        }

        var pixels = new Rgb24[AlignedFace.Size * AlignedFace.Size];
        AffineSampler.Sample(PixelTensor.PixelsOf(image).Span, image.Width, image.Height, faceToImage,
            pixels, AlignedFace.Size, AlignedFace.Size, replicateBorder: false);
        return new AlignedFace(pixels, imageToFace);
    }

    /// <summary>
    /// Least-squares rotation + uniform scale + translation taking <paramref name="source"/> onto
    /// <paramref name="target"/> (Umeyama's closed form in 2-D, without reflection).
    /// </summary>
    public static Matrix3x2 EstimateSimilarity(IReadOnlyList<Vector2> source, IReadOnlyList<Vector2> target)
    {
        if (source.Count != target.Count || source.Count < 2)
        {
            throw new ArgumentException("Need at least two matching point pairs.", nameof(source));
        }

        var meanSource = Vector2.Zero;
        var meanTarget = Vector2.Zero;
        for (var i = 0; i < source.Count; i++)
        {
            meanSource += source[i];
            meanTarget += target[i];
        }

        meanSource /= source.Count;
        meanTarget /= source.Count;

        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < source.Count; i++)
        {
            var p = source[i] - meanSource;
            var q = target[i] - meanTarget;
            dot += (p.X * q.X) + (p.Y * q.Y);
            cross += (p.X * q.Y) - (p.Y * q.X);
            norm += p.LengthSquared();
        }

        if (norm <= double.Epsilon)
        {
            return new Matrix3x2(float.NaN, 0, 0, float.NaN, 0, 0);
        }

        var a = (float)(dot / norm);
        var b = (float)(cross / norm);

        // Row-vector convention: [x y 1] * M gives (a x - b y + tx, b x + a y + ty).
        var tx = meanTarget.X - ((a * meanSource.X) - (b * meanSource.Y));
        var ty = meanTarget.Y - ((b * meanSource.X) + (a * meanSource.Y));
        return new Matrix3x2(a, b, -b, a, tx, ty);
    }
}
