using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Detection;

/// <summary>A face detector model: faces with five landmarks, in source-image pixels, for one upright RGB image.</summary>
public interface IFaceDetector : IDisposable
{
    string ModelId { get; }

    IReadOnlyList<DetectedFace> Detect(Image<Rgb24> image);
}
