namespace IdVerify.Core.Detection;

public static class NonMaximumSuppression
{
    /// <summary>Greedy NMS: keeps the best-scoring face and drops any that overlaps a kept one by more than the IoU threshold.</summary>
    public static List<DetectedFace> Apply(List<DetectedFace> faces, float iouThreshold, int topK)
    {
        faces.Sort((a, b) => b.Score.CompareTo(a.Score));
        var kept = new List<DetectedFace>();
        foreach (var face in faces)
        {
            if (kept.Count >= topK)
            {
                break;
            }

            if (kept.TrueForAll(k => k.Box.IntersectionOverUnion(face.Box) <= iouThreshold))
            {
                kept.Add(face);
            }
        }

        return kept;
    }
}
