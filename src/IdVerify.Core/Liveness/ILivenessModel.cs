using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>A single-frame presentation-attack detector: P(live) for the face in a box.</summary>
public interface ILivenessModel : IDisposable
{
    ModelEntry Model { get; }

    float Score(Image<Rgb24> image, FaceBox box);
}
