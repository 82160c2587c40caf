namespace IdVerify.Core.Detection;

/// <summary>Picks the face a probe is about: the largest, unless another is nearly as large.</summary>
public static class FaceSelector
{
    public static DetectedFace Select(IReadOnlyList<DetectedFace> faces, SelectionOptions options)
    {
        if (faces.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.NoFace, "No face was found in the image.");
        }

        var ordered = faces.OrderByDescending(f => f.Box.Area).ToList();
        var largest = ordered[0];
        if (ordered.Count > 1 && ordered[1].Box.Area >= options.AmbiguityRatio * largest.Box.Area)
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
