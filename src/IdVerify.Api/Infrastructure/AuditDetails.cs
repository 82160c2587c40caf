using System.Globalization;
using IdVerify.Api.Endpoints.Contracts;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// The figures an audit record keeps from a handler's typed result, chosen field by field so that nothing biometric
/// (an image, a crop, an embedding, landmarks) can reach the log by accident.
/// </summary>
public static class AuditDetails
{
    /// <summary>Details from the handler's arguments, known even when the handler fails.</summary>
    public static void AddArguments(AuditEntry entry, IList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var argument in arguments)
        {
            if (argument is SwapRequest swap)
            {
                entry.Detail("requestedIds", string.Join(",", swap.Ids ?? (swap.Id is { } id ? [id] : [])));
            }
        }
    }

    /// <summary>Details from a successful result.</summary>
    public static void AddResult(AuditEntry entry, object? result)
    {
        ArgumentNullException.ThrowIfNull(entry);
        switch ((result as IValueHttpResult)?.Value)
        {
            case VerifyResponse v:
                entry.Subject(v.SubjectId)
                    .Detail("decisionId", v.DecisionId)
                    .Detail("verified", Text(v.Verified))
                    .Detail("match", Text(v.Match))
                    .Detail("score", Text(v.Score))
                    .Detail("threshold", Text(v.Threshold))
                    .Detail("fmrTarget", Text(v.FmrTarget))
                    .Detail("templateAggregation", v.TemplateAggregation)
                    .Detail("templatesCompared", Text(v.TemplatesCompared))
                    .Detail("livenessPassed", Text(v.Liveness.Passed))
                    .Detail("livenessScore", Text(v.Liveness.Score))
                    .Detail("livenessThreshold", Text(v.Liveness.Threshold))
                    .Detail("livenessReason", v.Liveness.Reason)
                    .Detail("qualityPassed", Text(v.Quality.Passed))
                    .Detail("qualityIssues", string.Join(",", v.Quality.Issues))
                    .Detail("detector", v.Models.Detector)
                    .Detail("embedder", v.Models.Embedder)
                    .Detail("liveness", v.Models.Liveness);
                if (v.Challenge is { } challenge)
                {
                    entry.Detail("challengeId", challenge.ChallengeId).Detail("challengePassed", Text(challenge.Passed));
                }

                break;
            case IdentifyResponse i:
                entry.Detail("searchId", i.SearchId)
                    .Detail("identified", Text(i.Identified))
                    .Detail("gallerySize", Text(i.GallerySize))
                    .Detail("threshold", Text(i.Threshold))
                    .Detail("fmr", Text(i.Fmr))
                    .Detail("fpirTarget", Text(i.FpirTarget))
                    .Detail("livenessPassed", Text(i.Liveness.Passed))
                    .Detail("qualityPassed", Text(i.Quality.Passed))
                    .Detail("embedder", i.Models.Embedder);
                // Ids and scores only, at most Identify:MaxTop (≤ 100) of them: kept whole, past the per-value limit.
                entry.Details["candidates"] = string.Join(",", i.Candidates.Select(c => $"{c.SubjectId}:{Text(c.Score)}"));
                break;
            case EnrollResponse e:
                entry.Subject(e.Subject.SubjectId)
                    .Detail("templatesAdded", Text(e.Templates.Count))
                    .Detail("templateCount", Text(e.Subject.TemplateCount))
                    .Detail("embedder", e.Templates.Select(t => t.EmbedderId).FirstOrDefault());
                // Ids only, at most Enrollment:MaxImagesPerRequest (≤ 20) of them: kept whole, past the per-value limit.
                entry.Details["templateIds"] = string.Join(",", e.Templates.Select(t => t.TemplateId));
                break;
            case ChallengeDto c:
                entry.Subject(c.SubjectId)
                    .Detail("challengeId", c.ChallengeId)
                    .Detail("actions", string.Join(",", c.Actions))
                    .Detail("expiresAt", c.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                break;
            case SubjectDto s:
                entry.Detail("templateCount", Text(s.TemplateCount));
                break;
            case SwapResponse s:
                entry.Detail("previous", s.Previous)
                    .Detail("detector", s.Active.Detector.Id)
                    .Detail("embedder", s.Active.Embedder.Id)
                    .Detail("liveness", string.Join("+", s.Active.Liveness.Select(l => l.Id)))
                    .Detail("swapMs", Text(s.SwapMs));
                break;
            case RegisteredModelDto m:
                entry.Detail("modelId", m.Id).Detail("role", m.Role).Detail("family", m.Family).Detail("sha256", m.Sha256);
                break;
        }
    }

    private static string Text(bool value) => value ? "true" : "false";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
