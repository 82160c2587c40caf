namespace IdVerify.Core.Detection;

/// <summary>Picks the face a probe is about: the largest, unless another is nearly as large.</summary>
public static class FaceSelector
{
    /// <param name="imageWidth">width of the frame the faces were found in (a rival cut by its edge is a bystander).</param>
    /// <param name="imageHeight">height of that frame.</param>
    public static DetectedFace Select(IReadOnlyList<DetectedFace> faces, SelectionOptions options, int imageWidth, int imageHeight)
    {
        if (faces.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.NoFace, "No face was found in the image.");
        }

        var ordered = faces.OrderByDescending(f => f.Box.Area).ToList();
        var largest = ordered[0];
        var largestCut = largest.Box.IsCutBy(imageWidth, imageHeight);
        var rival = ordered.Skip(1).FirstOrDefault(f => !options.IgnoreRivalsCutByFrame || largestCut || !f.Box.IsCutBy(imageWidth, imageHeight));
        if (rival is not null && rival.Box.Area >= options.AmbiguityRatio * largest.Box.Area)
        {
            throw new IdVerifyException(ErrorCodes.MultipleFaces,
                $"{faces.Count} faces were found and the two largest are of similar size; send a photo of one person.");
        }

        var size = Math.Min(largest.Box.Width, largest.Box.Height);
        if (size < options.MinFaceSize)
        {
            throw new IdVerifyException(ErrorCodes.FaceTooSmall,
                $"The face is {size:F0} px across; at least {options.MinFaceSize:F0} px is needed.");
        }

        return largest;
    }
}
