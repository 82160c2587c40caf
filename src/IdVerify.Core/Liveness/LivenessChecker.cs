using IdVerify.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>
/// The fused passive liveness check: the mean P(live) of its models against a threshold. The models judge the
/// context around a face (paper edges, screen bezels); a face that fills the frame has none, and on shared/faces
/// such captures (face box wider than 1/1.3 of the frame) were judged fake 51 times in 62 while the rest of the bona
/// fide photos passed 109 times in 121. So those get <see cref="LivenessReasons.InsufficientContext"/> instead of a
/// confident wrong answer.
/// </summary>
public sealed class LivenessChecker(IReadOnlyList<ILivenessModel> models, float threshold, float minContextScale = 1.3f) : IDisposable
{
    public float Threshold { get; } = threshold;

    public float MinContextScale { get; } = minContextScale;

    public string ModelId { get; } = string.Join("+", models.Select(m => m.Model.Id));

    public IReadOnlyList<ILivenessModel> Models { get; } = models;

    public LivenessResult Check(Image<Rgb24> image, FaceBox box)
    {
        var score = (float)Models.Average(m => m.Score(image, box));
        var context = Math.Min(image.Width / box.Width, image.Height / box.Height);
        if (context < MinContextScale)
        {
            return new LivenessResult(false, score, Threshold, LivenessReasons.InsufficientContext);
        }

        return new LivenessResult(score >= Threshold, score, Threshold, score >= Threshold ? null : LivenessReasons.AttackSuspected);
    }

    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Dispose();
        }
    }
}
