using System.Numerics;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>
/// PFLD 68-point landmarks (family <c>pfld68</c>, FaceONNX): a square face crop at 112×112, RGB / 255; 68 (x, y)
/// normalised to the crop. Used for the eye aspect ratio (EAR) of a blink check, and to refine a detector's five points
/// before alignment (Alignment:RefineLandmarks).
/// </summary>
public sealed class EyeLandmarks : IDisposable
{
    private readonly InferenceSession session;
    private readonly ModelInput input;
    private readonly string inputName;
    private readonly string outputName;
    private readonly float cropScale;

    /// <summary>Square crop side over the detector box's longer side: 0.9 separated open from closed eyes best on shared/faces sequences.</summary>
    public const float DefaultCropScale = 0.9f;

    /// <param name="cropScale">square crop side over the detector box's longer side.</param>
    public EyeLandmarks(ModelEntry entry, string modelPath, SessionOptions sessionOptions, float cropScale = DefaultCropScale)
    {
        Model = entry;
        input = entry.Input;
        this.cropScale = cropScale;
        session = new InferenceSession(modelPath, sessionOptions);
        inputName = session.InputMetadata.Keys.Single();
        outputName = session.OutputMetadata.Keys.Single();
    }

    public ModelEntry Model { get; }

    /// <summary>The 68 landmarks in image pixels.</summary>
    public Vector2[] Detect(Image<Rgb24> image, FaceBox box)
    {
        var side = cropScale * Math.Max(box.Width, box.Height);
        var raw = CropInference.Run(session, inputName, outputName, input, image, CropInference.Square(box.CenterX, box.CenterY, side, input.Width),
            replicateBorder: true);
        var left = box.CenterX - (side / 2);
        var top = box.CenterY - (side / 2);
        var points = new Vector2[68];
        for (var i = 0; i < 68; i++)
        {
            points[i] = new Vector2(left + (raw[2 * i] * side), top + (raw[(2 * i) + 1] * side));
        }

        return points;
    }

    /// <summary>
    /// A detector's five points (image-left eye, image-right eye, nose tip, image-left and image-right mouth corners) from
    /// the 68 of iBUG's scheme: each eye's six points averaged, point 30, points 48 and 54.
    /// </summary>
    public static Point2[] FivePoints(IReadOnlyList<Vector2> p)
    {
        static Point2 EyeCentre(IReadOnlyList<Vector2> p, int from)
        {
            var sum = Vector2.Zero;
            for (var i = from; i < from + 6; i++)
            {
                sum += p[i];
            }

            return new Point2(sum.X / 6, sum.Y / 6);
        }

        return [EyeCentre(p, 36), EyeCentre(p, 42), new(p[30].X, p[30].Y), new(p[48].X, p[48].Y), new(p[54].X, p[54].Y)];
    }

    /// <summary>Mean eye aspect ratio of both eyes (Soukupová &amp; Čech 2016): lid opening over eye width.</summary>
    public static float EyeAspectRatio(IReadOnlyList<Vector2> p)
    {
        static float Eye(IReadOnlyList<Vector2> p, int o) =>
            (Vector2.Distance(p[o + 1], p[o + 5]) + Vector2.Distance(p[o + 2], p[o + 4])) / (2 * Vector2.Distance(p[o], p[o + 3]));

        return (Eye(p, 36) + Eye(p, 42)) / 2;
    }

    public void Dispose() => session.Dispose();
}
