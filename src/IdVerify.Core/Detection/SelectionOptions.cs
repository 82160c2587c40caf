namespace IdVerify.Core.Detection;

/// <summary>How <see cref="FaceSelector"/> picks the face a photo is about (configuration section <c>Selection</c>).</summary>
public sealed record SelectionOptions
{
    /// <summary>Shorter side of the face box, in source pixels, below which a face is too small to trust.</summary>
    public float MinFaceSize { get; init; } = 32;

    /// <summary>
    /// A second face at least this fraction of the largest face's area makes the photo ambiguous. 0.8: on
    /// shared/faces the single-person photos in pairs.csv had a second face of at most 0.76 (biden2.jpg) but for one LFW photo.
    /// </summary>
    public float AmbiguityRatio { get; init; } = 0.8f;

    /// <summary>
    /// A rival face cut by the frame's edge does not make a whole face ambiguous: a bystander at the edge, not a second
    /// subject. On lfw_devtrain (press photos with neighbours at the edges) this rule alone decided most of RetinaFace's
    /// multiple_faces failures to acquire (see README, Accuracy).
    /// </summary>
    public bool IgnoreRivalsCutByFrame { get; init; } = true;
}
