using IdVerify.Core.Matching;

namespace IdVerify.Core.Templates;

/// <summary>The exact search both galleries run: every subject scored as verify scores it (<see cref="TemplateScorer"/>), top k kept.</summary>
public static class GalleryScan
{
    public static GallerySearch Run(GalleryQuery query, IEnumerable<(string SubjectId, IReadOnlyList<float[]> Templates)> subjects)
    {
        var best = new PriorityQueue<GalleryMatch, float>(query.Top + 1);
        var size = 0;
        foreach (var (subjectId, templates) in subjects)
        {
            if (templates.Count == 0 || subjectId == query.ExcludeSubjectId)
            {
                continue;
            }

            size++;
            var score = TemplateScorer.Score(query.Aggregation, templates, query.Probe);
            if (best.Count < query.Top)
            {
                best.Enqueue(new GalleryMatch(subjectId, score, templates.Count), score);
            }
            else if (best.TryPeek(out _, out var lowest) && score > lowest)
            {
                best.EnqueueDequeue(new GalleryMatch(subjectId, score, templates.Count), score);
            }
        }

        var matches = new List<GalleryMatch>(best.Count);
        while (best.TryDequeue(out var match, out _))
        {
            matches.Add(match);
        }

        matches.Reverse();
        return new GallerySearch(size, matches);
    }
}
