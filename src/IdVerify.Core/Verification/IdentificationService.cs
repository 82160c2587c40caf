using System.Diagnostics;
using System.Globalization;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>
/// 1:N: a live capture searched against every subject of the active embedder, through the verify pipeline and rule
/// (<see cref="Verdict"/>) at a threshold chosen for the gallery's size (<see cref="IdentificationPolicy"/>); and the same
/// search for an enrollment's duplicate check.
/// </summary>
public sealed class IdentificationService(FacePipeline pipeline, IGallery gallery, IdentificationRules rules)
{
    public IdentificationRules Rules => rules;

    public async Task<IdentificationResult> IdentifyAsync(byte[] image, int? top = null, CancellationToken cancellationToken = default)
    {
        var count = top ?? rules.Options.DefaultTop;
        if (count < 1 || count > rules.Options.MaxTop)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"top must be 1 to {rules.Options.MaxTop}.");
        }

        var analysis = pipeline.Analyze(image);
        var clock = Stopwatch.StartNew();
        var search = await gallery.SearchAsync(Query(analysis, count), cancellationToken);
        var policy = IdentificationPolicy.For(rules.Policy, rules.Options.FpirTarget, search.GallerySize);
        var candidates = search.Matches
            .Where(m => Verdict.Decide(policy.Match, rules.Quality, m.Score, analysis, analysis.Liveness).Verified)
            .Select(m => new IdentifiedCandidate(m.SubjectId, m.Score, m.TemplatesCompared))
            .ToList();
        var searchMs = clock.Elapsed.TotalMilliseconds;
        var timings = analysis.Timings with { Match = searchMs, Total = analysis.Timings.Total + searchMs };
        return new IdentificationResult(Guid.NewGuid().ToString("N"), candidates, policy, analysis.Liveness,
            FaceQualityAssessor.Check(analysis.Quality, rules.Quality), analysis, timings,
            new DecisionModels(pipeline.Detector.ModelId, analysis.EmbedderId, pipeline.Liveness.ModelId));
    }

    /// <summary>
    /// Searches each new face (already past enrollment's liveness and quality checks) against every other subject. With no
    /// calibrated threshold strict enough for the gallery, refuse fails closed (<see cref="ErrorCodes.FpirTargetUnreachable"/>)
    /// and warn reports the check as skipped: a looser threshold would flag real customers.
    /// </summary>
    public async Task<DuplicateCheckResult> CheckDuplicatesAsync(string subjectId, IReadOnlyList<FaceAnalysis> faces, DuplicateCheckMode mode,
        CancellationToken cancellationToken = default)
    {
        IdentificationPolicy? policy = null;
        var found = new Dictionary<string, IdentifiedCandidate>(StringComparer.Ordinal);
        foreach (var face in faces)
        {
            var search = await gallery.SearchAsync(Query(face, rules.Options.DefaultTop) with { ExcludeSubjectId = subjectId }, cancellationToken);
            try
            {
                policy ??= IdentificationPolicy.For(rules.Policy, rules.Options.FpirTarget, search.GallerySize);
            }
            catch (IdVerifyException ex) when (ex.Code == ErrorCodes.FpirTargetUnreachable && mode == DuplicateCheckMode.Warn)
            {
                return new DuplicateCheckResult(mode, null, [], ex.Message);
            }

            foreach (var match in search.Matches.Where(m => policy.Match.IsMatch(m.Score)))
            {
                if (!found.TryGetValue(match.SubjectId, out var seen) || seen.Score < match.Score)
                {
                    found[match.SubjectId] = new IdentifiedCandidate(match.SubjectId, match.Score, match.TemplatesCompared);
                }
            }
        }

        return new DuplicateCheckResult(mode, policy, found.Values.OrderByDescending(m => m.Score).ToList(), null);
    }

    /// <summary>The refusal of a duplicate; the other subject is named only to a caller allowed to search the gallery.</summary>
    public static DuplicateIdentityException Duplicate(DuplicateCheckResult check, bool nameOther)
    {
        var best = check.Matches[0];
        var policy = check.Policy!;
        var who = nameOther ? $"subject '{best.SubjectId}'" : "another enrolled subject (a key with the identify scope sees which)";
        return new DuplicateIdentityException(
            $"The face matches {who}: score {best.Score.ToString("F3", CultureInfo.InvariantCulture)} ≥ identify threshold " +
            $"{policy.Threshold.ToString("F3", CultureInfo.InvariantCulture)} (FMR {policy.Fmr.ToString("G", CultureInfo.InvariantCulture)}, " +
            $"{policy.GallerySize:N0} subjects). Nothing was stored.", check);
    }

    private GalleryQuery Query(FaceAnalysis analysis, int top) => new(pipeline.Embedder.Model, analysis.Embedding, top, rules.Policy.Aggregation);
}
