using System.Diagnostics;
using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>Builds a verification service for a model bundle from the configured options: start-up and every swap go through here.</summary>
public sealed partial class FaceEngineFactory(
    IOptions<ModelSettings> models,
    IOptions<MatchingSettings> matching,
    IOptions<PipelineOptions> pipelineOptions,
    IOptions<EnrollmentOptions> enrollment,
    IOptions<QualitySettings> quality,
    IOptions<ChallengeOptions> challenge,
    IOptions<TemplateSettings> templates,
    ITemplateStore store,
    IDecisionLog decisions,
    IChallengeStore challenges,
    TimeProvider time,
    ILogger<FaceEngineFactory> logger)
{
    private readonly Lazy<ModelLocations> locations = new(() => ModelLocations.Discover(models.Value.Directory, models.Value.Source));

    public ModelLocations Locations => locations.Value;

    public string LocalManifestPath => models.Value.LocalManifest is { Length: > 0 } p ? p : Locations.LocalManifestPath;

    public string ActiveFile => models.Value.ActiveFile is { Length: > 0 } p ? p : Locations.ActiveFile;

    public string CustomDirectory => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(LocalManifestPath))!, "custom");

    public bool KeepLegacyEmbedders => matching.Value.KeepLegacyEmbedders;

    public ModelManifest LoadManifest() => ModelManifest.Load(Locations.ManifestPath, LocalManifestPath);

    /// <summary>The configured bundle: Models:* settings (and active.json) over the manifest's defaults.</summary>
    public ModelBundle ConfiguredBundle(ModelManifest manifest)
    {
        var settings = models.Value;
        var defaults = ModelBundle.DefaultOf(manifest);
        return new ModelBundle(
            settings.Detector is { Length: > 0 } d ? d : defaults.DetectorId,
            settings.Embedder is { Length: > 0 } e ? e : defaults.EmbedderId,
            settings.Liveness is { Count: > 0 } l ? l : defaults.LivenessIds,
            challenge.Value.Actions.Contains(ChallengeActions.Blink) ? settings.EyeLandmarks : null,
            settings.LegacyEmbedders);
    }

    public async Task<VerificationService> BuildAsync(ModelManifest manifest, ModelBundle bundle, CancellationToken cancellationToken)
    {
        var policy = MatchPolicy.For(manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), matching.Value.FmrTarget, matching.Value.TemplateAggregation);
        var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(Locations), bundle, pipelineOptions.Value, cancellationToken);
        var crops = templates.Value.CropKey is { Length: > 0 } key ? FaceCropProtector.FromBase64(key) : null;
        var provider = pipeline.Provider;
        if (provider.FallbackReason is not null)
        {
            LogFallback(logger, provider.Requested, provider.Actual, provider.FallbackReason);
        }

        LogReady(logger, bundle.DetectorId, bundle.EmbedderId, string.Join("+", bundle.LivenessIds), provider.Actual, policy.FmrTarget,
            policy.Threshold, pipeline.WarmUpTime.TotalMilliseconds);
        return new VerificationService(pipeline, store, decisions, policy, enrollment.Value,
            new QualityPolicy(quality.Value.Enrollment, quality.Value.Verification), challenges, new ChallengeVerifier(challenge.Value), time, crops);
    }

    /// <summary>Records the active bundle so that a restart serves the same models (read as configuration at start).</summary>
    public void SaveActive(ModelBundle bundle) => ActiveBundleFile.Save(ActiveFile, bundle);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Models ready: detector {Detector}, embedder {Embedder}, liveness {Liveness} on {Provider}; FMR target {FmrTarget} -> cosine {Threshold}; warm-up {Milliseconds:F0} ms")]
    private static partial void LogReady(ILogger logger, string detector, string embedder, string liveness, string provider, double fmrTarget,
        float threshold, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution provider {Requested} could not be loaded; running on {Actual}: {Reason}")]
    private static partial void LogFallback(ILogger logger, string requested, string actual, string reason);
}

/// <summary>
/// Loads the model bundle before the server accepts requests: a missing or tampered model file, an unavailable
/// execution provider, or an FMR target the embedder was never calibrated for stops the service at start.
/// </summary>
public sealed class FaceEngineStartup(FaceEngine engine, FaceEngineFactory factory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var manifest = factory.LoadManifest();
        var service = await factory.BuildAsync(manifest, factory.ConfiguredBundle(manifest), cancellationToken);
        engine.Activate(service, clock.Elapsed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class FaceEngineRegistration
{
    public static IServiceCollection AddFaceEngine(this IServiceCollection services)
    {
        services.AddOptions<ModelSettings>().BindConfiguration("Models");
        services.AddOptions<TemplateSettings>().BindConfiguration("Templates")
            .Validate(t => t.CropKey.Length == 0 || Convert.TryFromBase64String(t.CropKey, new byte[64], out var n) && n == 32,
                "Templates:CropKey must be base64 of 32 bytes.")
            .ValidateOnStart();
        services.AddOptions<StorageSettings>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MatchingSettings>().BindConfiguration("Matching").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().BindConfiguration("Enrollment")
            .Validate(o => o.MaxImagesPerRequest is >= 1 and <= 20, "Enrollment:MaxImagesPerRequest must be 1 to 20.")
            .Validate(o => o.MaxTemplatesPerSubject >= o.MaxImagesPerRequest, "Enrollment:MaxTemplatesPerSubject must be at least MaxImagesPerRequest.")
            .ValidateOnStart();
        services.AddOptions<PipelineOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Images = configuration.GetSection("Images").Get<ImageLimits>() ?? new ImageLimits();
                options.Detector = configuration.GetSection("Detection").Get<DetectorOptions>() ?? new DetectorOptions();
                options.Selection = configuration.GetSection("Selection").Get<SelectionOptions>() ?? new SelectionOptions();
                options.Inference = configuration.GetSection("Inference").Get<InferenceOptions>() ?? new InferenceOptions();
                options.LivenessThreshold = configuration.GetValue("Liveness:Threshold", options.LivenessThreshold);
                options.LivenessMinContextScale = configuration.GetValue("Liveness:MinContextScale", options.LivenessMinContextScale);
                options.ParallelStages = configuration.GetValue("Inference:ParallelStages", options.ParallelStages);
            })
            .Validate(o => o.Images.MaxBytes > 0 && o.Images.MaxPixels > 0 && o.Images.MaxFrames > 0, "Images limits must be positive.")
            .Validate(o => o.Detector.ScoreThreshold is > 0 and < 1, "Detection:ScoreThreshold must be between 0 and 1.")
            .Validate(o => o.Detector.MaxSide is >= 64 and <= 4096, "Detection:MaxSide must be 64 to 4096.")
            .Validate(o => o.Selection.AmbiguityRatio is > 0 and <= 1, "Selection:AmbiguityRatio must be in (0, 1].")
            .Validate(o => o.LivenessThreshold is >= 0 and <= 1, "Liveness:Threshold must be between 0 and 1.")
            .Validate(o => InferenceOptions.Providers.Contains(o.Inference.Provider.ToLowerInvariant()),
                $"Inference:Provider must be one of {string.Join(", ", InferenceOptions.Providers)}.")
            .ValidateOnStart();
        services.AddOptions<QualitySettings>().BindConfiguration("Quality")
            .Validate(q => q.Enrollment.MinInterEyeDistance >= q.Verification.MinInterEyeDistance
                           && q.Enrollment.MinSharpness >= q.Verification.MinSharpness,
                "Quality:Enrollment bounds must be at least as strict as Quality:Verification.")
            .ValidateOnStart();
        services.AddOptions<ChallengeOptions>().BindConfiguration("Challenge")
            .Validate(c => c.Actions.Count > 0 && c.Actions.All(a => ChallengeActions.All.Contains(a)),
                $"Challenge:Actions may only hold {string.Join(", ", ChallengeActions.All)}.")
            .Validate(c => c.ActionsPerChallenge >= 1 && c.MinFrames >= 2 && c.MaxFrames >= c.MinFrames && c.MaxFrames <= 60,
                "Challenge: ActionsPerChallenge ≥ 1 and 2 ≤ MinFrames ≤ MaxFrames ≤ 60.")
            .Validate(c => c.Lifetime > TimeSpan.Zero && c.Lifetime <= TimeSpan.FromMinutes(10), "Challenge:Lifetime must be up to 10 minutes.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<StorageSettings>>().Value.SqlitePath;
            var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new SqliteDatabase(Path.Combine(root, path));
        });
        services.AddSingleton<ITemplateStore, SqliteTemplateStore>();
        services.AddSingleton<IDecisionLog, SqliteDecisionLog>();
        services.AddSingleton<IChallengeStore, SqliteChallengeStore>();
        services.AddSingleton<FaceEngine>();
        services.AddSingleton<FaceEngineFactory>();
        services.AddHostedService<FaceEngineStartup>();
        return services;
    }
}
