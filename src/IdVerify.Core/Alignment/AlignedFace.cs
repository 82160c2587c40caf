using System.Numerics;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Alignment;

/// <summary>A 112×112 face warped onto the ArcFace template, row-major RGB.</summary>
public sealed record AlignedFace(Rgb24[] Pixels, Matrix3x2 ImageToFace)
{
    public const int Size = 112;
}
