using IdVerify.Core.Verification;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdVerify.Core.Hosting;

/// <summary>
/// Builds the face services for a model bundle from the configured options: the service's start and every swap,
/// and every CLI command that runs the pipeline, go through here.
/// </summary>
public sealed partial class FaceServicesFactory(
    ModelCatalog catalog,
    IOptions<MatchingOptions> matching,
    IOptions<PipelineOptions> pipelineOptions,
    IOptions<EnrollmentOptions> enrollment,
    IOptions<QualityOptions> quality,
    IOptions<ChallengeOptions> challenge,
    IOptions<TemplateOptions> templates,
    IOptions<SecurityOptions> security,
    IOptions<IdentifyOptions> identify,
    ITemplateStore store,
    IGallery gallery,
    IDecisionLog decisions,
    ISubjectAttemptStore attempts,
    IChallengeStore challenges,
    DataKeyRing dataKeys,
    TimeProvider time,
    ILogger<FaceServicesFactory> logger)
{
    /// <summary>The models this configuration can serve, and the bundle it serves.</summary>
    public ModelCatalog Catalog => catalog;

    public PipelineOptions PipelineOptions => pipelineOptions.Value;

    public bool KeepLegacyEmbedders => matching.Value.KeepLegacyEmbedders;

    /// <summary>The configured bundle, loaded and warmed.</summary>
    public async Task<FaceServices> BuildAsync(CancellationToken cancellationToken = default)
    {
        var manifest = catalog.LoadManifest();
        return await BuildAsync(manifest, catalog.ConfiguredBundle(manifest), cancellationToken);
    }

    public async Task<FaceServices> BuildAsync(ModelManifest manifest, ModelBundle bundle, CancellationToken cancellationToken = default)
    {
        // The policy first: an FMR target the embedder was never calibrated for fails before any model is loaded.
        var policy = MatchPolicy.For(manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), matching.Value.FmrTarget, matching.Value.TemplateAggregation);
        var pipeline = await FacePipelineLoader.LoadAsync(manifest, catalog.Store, bundle, pipelineOptions.Value, cancellationToken);
        var crops = templates.Value.KeepCrops ? new FaceCropProtector(dataKeys) : null;
        var provider = pipeline.Provider;
        if (provider.FallbackReason is not null)
        {
            LogFallback(logger, provider.Requested, provider.Actual, provider.FallbackReason);
        }

        LogReady(logger, bundle.DetectorId, bundle.EmbedderId, string.Join("+", bundle.LivenessIds), provider.Actual, policy.FmrTarget,
            policy.Threshold, pipeline.LoadTime.TotalMilliseconds, pipeline.WarmUpTime.TotalMilliseconds);
        var challengeService = new ChallengeService(challenges, new ChallengeVerifier(challenge.Value), time);
        var limits = new AttemptLimits(security.Value.MaxConsecutiveFailures, security.Value.FirstLockout, security.Value.MaxLockout);
        var identification = new IdentificationService(pipeline, gallery, new IdentificationRules(identify.Value, policy, quality.Value.Verification));
        return new FaceServices(
            pipeline,
            new EnrollmentService(pipeline, store, new EnrollmentRules(enrollment.Value, quality.Value.Enrollment, policy), crops, identification, time),
            new VerificationService(pipeline, new VerificationStores(store, decisions, attempts),
                new VerificationRules(policy, quality.Value.Verification, limits), challengeService, time),
            identification,
            challengeService);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Models ready: detector {Detector}, embedder {Embedder}, liveness {Liveness} on {Provider}; FMR target {FmrTarget} -> cosine {Threshold}; loaded in {Milliseconds:F0} ms, of which warm-up {WarmUpMilliseconds:F0} ms")]
    private static partial void LogReady(ILogger logger, string detector, string embedder, string liveness, string provider, double fmrTarget,
        float threshold, double milliseconds, double warmUpMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution provider {Requested} could not be loaded; running on {Actual}: {Reason}")]
    private static partial void LogFallback(ILogger logger, string requested, string actual, string reason);
}
