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

/// <summary>
/// Loads the model bundle before the server accepts requests: a missing or tampered model file, or an
/// FMR target the embedder was never calibrated for, stops the service at start rather than at the first customer.
/// </summary>
public sealed partial class FaceEngineStartup(
    FaceEngine engine,
    IOptions<ModelSettings> models,
    IOptions<MatchingSettings> matching,
    IOptions<PipelineOptions> pipelineOptions,
    IOptions<EnrollmentOptions> enrollment,
    IOptions<QualitySettings> quality,
    IOptions<ChallengeOptions> challenge,
    IChallengeStore challenges,
    ITemplateStore store,
    TimeProvider time,
    ILogger<FaceEngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = models.Value;
        var locations = ModelLocations.Discover(settings.Directory, settings.Source);
        var manifest = ModelManifest.Load(locations.ManifestPath);
        var defaults = ModelBundle.DefaultOf(manifest);
        var bundle = new ModelBundle(
            settings.Detector is { Length: > 0 } d ? d : defaults.DetectorId,
            settings.Embedder is { Length: > 0 } e ? e : defaults.EmbedderId,
            settings.Liveness is { Count: > 0 } l ? l : defaults.LivenessIds,
            challenge.Value.Actions.Contains(ChallengeActions.Blink) ? settings.EyeLandmarks : null);
        var policy = MatchPolicy.For(manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), matching.Value.FmrTarget, matching.Value.TemplateAggregation);

        var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(locations), bundle, pipelineOptions.Value, cancellationToken);
        engine.Activate(new VerificationService(pipeline, store, policy, enrollment.Value,
            new QualityPolicy(quality.Value.Enrollment, quality.Value.Verification), challenges, new ChallengeVerifier(challenge.Value), time), clock.Elapsed);
        LogReady(logger, bundle.DetectorId, bundle.EmbedderId, string.Join("+", bundle.LivenessIds), policy.FmrTarget, policy.Threshold,
            clock.Elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Models ready: detector {Detector}, embedder {Embedder}, liveness {Liveness}; FMR target {FmrTarget} -> cosine {Threshold}; {Milliseconds:F0} ms")]
    private static partial void LogReady(ILogger logger, string detector, string embedder, string liveness, double fmrTarget, float threshold,
        double milliseconds);
}

public static class FaceEngineRegistration
{
    public static IServiceCollection AddFaceEngine(this IServiceCollection services)
    {
        services.AddOptions<ModelSettings>().BindConfiguration("Models");
        services.AddOptions<StorageSettings>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MatchingSettings>().BindConfiguration("Matching").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().BindConfiguration("Enrollment")
            .Validate(o => o.MaxImagesPerRequest is >= 1 and <= 20, "Enrollment:MaxImagesPerRequest must be 1 to 20.")
            .Validate(o => o.MaxTemplatesPerSubject >= o.MaxImagesPerRequest, "Enrollment:MaxTemplatesPerSubject must be at least MaxImagesPerRequest.")
            .ValidateOnStart();
        services.AddOptions<PipelineOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var images = configuration.GetSection("Images").Get<ImageLimits>() ?? new ImageLimits();
                var detector = configuration.GetSection("Detection").Get<DetectorOptions>() ?? new DetectorOptions();
                var selection = configuration.GetSection("Selection").Get<SelectionOptions>() ?? new SelectionOptions();
                var inference = configuration.GetSection("Inference").Get<InferenceOptions>() ?? new InferenceOptions();
                var liveness = configuration.GetValue("Liveness:Threshold", options.LivenessThreshold);
                options.LivenessMinContextScale = configuration.GetValue("Liveness:MinContextScale", options.LivenessMinContextScale);
                options.Images = images;
                options.Detector = detector;
                options.Selection = selection;
                options.Inference = inference;
                options.LivenessThreshold = liveness;
            })
            .Validate(o => o.Images.MaxBytes > 0 && o.Images.MaxPixels > 0 && o.Images.MaxFrames > 0, "Images limits must be positive.")
            .Validate(o => o.Detector.ScoreThreshold is > 0 and < 1, "Detection:ScoreThreshold must be between 0 and 1.")
            .Validate(o => o.Detector.MaxSide is >= 64 and <= 4096, "Detection:MaxSide must be 64 to 4096.")
            .Validate(o => o.Selection.AmbiguityRatio is > 0 and <= 1, "Selection:AmbiguityRatio must be in (0, 1].")
            .Validate(o => o.LivenessThreshold is >= 0 and <= 1, "Liveness:Threshold must be between 0 and 1.")
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
            return new SqliteTemplateStore(Path.Combine(root, path), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ITemplateStore>(sp => sp.GetRequiredService<SqliteTemplateStore>());
        services.AddSingleton<IChallengeStore>(sp => sp.GetRequiredService<SqliteTemplateStore>());
        services.AddSingleton<FaceEngine>();
        services.AddHostedService<FaceEngineStartup>();
        return services;
    }
}
