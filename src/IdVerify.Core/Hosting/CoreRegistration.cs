using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;
using IdVerify.Core.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdVerify.Core.Hosting;

/// <summary>
/// The one registration of Core that the service and the CLI share: every option bound and validated once (defaults
/// live in the option classes, not in appsettings.json), the stores, and the factory that builds a verification
/// service for a model bundle. So a photo pair gets the same decision from <c>idverify verify</c> as from /v1/verify.
/// </summary>
public static class CoreRegistration
{
    /// <summary>Configuration key of the folder relative paths resolve against (set by the ASP.NET host).</summary>
    public const string ContentRootKey = "contentRoot";

    public static IServiceCollection AddIdVerifyCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration);
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section));
        services.AddOptions<TemplateOptions>().Bind(configuration.GetSection(TemplateOptions.Section))
            .Validate(t => t.DataKeys.Values.All(k => Convert.TryFromBase64String(k, new byte[64], out var n) && n == DataKeyRing.KeySize),
                "Templates:DataKeys must each be base64 of 32 bytes.")
            .Validate(t => t.ActiveDataKey.Length == 0 || t.DataKeys.ContainsKey(t.ActiveDataKey),
                "Templates:ActiveDataKey must name one of Templates:DataKeys.")
            .ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section))
            .Validate(a => a.HmacKey.Length == 0 || a.Key() is { Length: >= AuditOptions.MinKeyBytes },
                $"Audit:HmacKey must be base64 of at least {AuditOptions.MinKeyBytes} bytes.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(s => s.Provider != StorageProvider.Postgres || IsConnectionString(s.ConnectionString),
                "Storage:ConnectionString must be a PostgreSQL connection string (Host=…;Database=…;Username=…) when Storage:Provider is postgres.")
            .Validate<IOptions<TemplateOptions>>((s, t) => s.Provider != StorageProvider.Postgres
                                                          || t.Value.DataKeys.Count > 0 || t.Value.DataKeyFile.Length > 0,
                "Storage:Provider=postgres needs the data keys every instance shares: Templates:DataKeys (a secrets store) or Templates:DataKeyFile.")
            .ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations()
            .Validate(s => s.FirstLockout >= TimeSpan.FromSeconds(30) && s.MaxLockout >= s.FirstLockout,
                "Security:FirstLockout must be at least 30 s (NIST SP 800-63-4) and Security:MaxLockout at least that.")
            .ValidateOnStart();
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentifyOptions>().Bind(configuration.GetSection(IdentifyOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.DefaultTop <= o.MaxTop, "Identify:DefaultTop must be at most Identify:MaxTop.")
            .ValidateOnStart();
        services.AddOptions<EnrollmentOptions>().Bind(configuration.GetSection("Enrollment"))
            .Validate(o => o.MaxImagesPerRequest is >= 1 and <= 20, "Enrollment:MaxImagesPerRequest must be 1 to 20.")
            .Validate(o => o.MaxTemplatesPerSubject >= o.MaxImagesPerRequest, "Enrollment:MaxTemplatesPerSubject must be at least MaxImagesPerRequest.")
            .Validate(o => Enum.IsDefined(o.DuplicateCheck), "Enrollment:DuplicateCheck must be off, warn or refuse.")
            .ValidateOnStart();
        services.AddOptions<PipelineOptions>()
            .Configure(options => BindPipeline(options, configuration))
            .Validate(o => o.Images.MaxBytes > 0 && o.Images.MaxPixels > 0 && o.Images.MaxFrames > 0, "Images limits must be positive.")
            .Validate(o => o.Detector.ScoreThreshold is > 0 and < 1, "Detection:ScoreThreshold must be between 0 and 1.")
            .Validate(o => o.Detector.MaxSide is null or (>= 64 and <= 4096), "Detection:MaxSide must be 64 to 4096.")
            .Validate(o => o.Selection.AmbiguityRatio is > 0 and <= 1, "Selection:AmbiguityRatio must be in (0, 1].")
            .Validate(o => o.LivenessThreshold is >= 0 and <= 1, "Liveness:Threshold must be between 0 and 1.")
            .Validate(o => o.Inference.IntraOpThreads >= 0, "Inference:IntraOpThreads must be ≥ 0.")
            .Validate(o => o.Inference.SoloDetectorThreads >= 0, "Inference:SoloDetectorThreads must be ≥ 0.")
            .Validate(o => InferenceOptions.Providers.Contains(o.Inference.Provider.ToLowerInvariant()),
                $"Inference:Provider must be one of {string.Join(", ", InferenceOptions.Providers)}.")
            .ValidateOnStart();
        services.AddOptions<QualityOptions>().Bind(configuration.GetSection(QualityOptions.Section))
            .Validate(q => q.Enrollment.MinInterEyeDistance >= q.Verification.MinInterEyeDistance
                           && q.Enrollment.MinSharpness >= q.Verification.MinSharpness,
                "Quality:Enrollment bounds must be at least as strict as Quality:Verification.")
            .ValidateOnStart();
        services.AddOptions<ChallengeOptions>().Bind(configuration.GetSection("Challenge"))
            // The binder appends configured list items to a list's default ("Challenge:Actions:0=blink" gave all three);
            // configured actions replace the defaults instead.
            .PostConfigure(c => c.Actions = configuration.GetSection("Challenge:Actions").Get<string[]>() ?? c.Actions)
            .Validate(c => c.Actions.Count > 0 && c.Actions.All(a => ChallengeActions.All.Contains(a)),
                $"Challenge:Actions may only hold {string.Join(", ", ChallengeActions.All)}.")
            .Validate(c => c.ActionsPerChallenge >= 1 && c.MinFrames >= 2 && c.MaxFrames >= c.MinFrames && c.MaxFrames <= 60,
                "Challenge: ActionsPerChallenge ≥ 1 and 2 ≤ MinFrames ≤ MaxFrames ≤ 60.")
            .Validate(c => c.Lifetime > TimeSpan.Zero && c.Lifetime <= TimeSpan.FromMinutes(10), "Challenge:Lifetime must be up to 10 minutes.")
            .Validate(c => c.MaxFrontalYaw is > 0 and < 90 && c.MaxRoll is > 0 and <= 180 && c.MinEyeDistanceRatio is >= 0 and < 1.5f
                    && c.LivenessFrames >= 1 && c.MinTrackOverlap is > 0 and < 1 && c.MaxTrackGap >= 0,
                "Challenge: 0 < MaxFrontalYaw < 90, 0 < MaxRoll ≤ 180, 0 ≤ MinEyeDistanceRatio < 1.5, LivenessFrames ≥ 1, 0 < MinTrackOverlap < 1, MaxTrackGap ≥ 0.")
            .ValidateOnStart();

        // Hosts that log (the API) have registered logging already; the CLI reports through its own output.
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(NullLogger<>)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Images);
        services.TryAddSingleton(sp =>
        {
            var models = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            return ModelLocations.Discover(models.Directory, models.Source);
        });
        services.TryAddSingleton(sp => new ModelStore(sp.GetRequiredService<ModelLocations>(),
            offline: sp.GetRequiredService<IOptions<ModelOptions>>().Value.Offline));
        services.TryAddSingleton(sp => DataKeySource.Resolve(sp.GetRequiredService<IOptions<TemplateOptions>>().Value, SqlitePath(sp, configuration)));
        AddStores(services, configuration);
        services.TryAddSingleton<IdVerify.Core.Diagnostics.IdVerifyMetrics>();
        services.TryAddSingleton<IStoreHealth>(sp => OnPostgres(sp)
            ? new PostgresStoreHealth(sp.GetRequiredService<PostgresDatabase>()) : new SqliteStoreHealth(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<ApiKeyService>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<FaceServicesFactory>();
        return services;
    }

    /// <summary>
    /// Both providers' stores, each chosen when first resolved (the options are read then, so a host's late settings count):
    /// nothing of the other provider is opened, so a PostgreSQL instance creates no SQLite file and the reverse.
    /// </summary>
    private static void AddStores(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp => new SqliteDatabase(SqlitePath(sp, configuration)));
        services.TryAddSingleton<SqliteTemplateStore>();
        services.TryAddSingleton(sp => new SqliteAuditLog(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.Key()));
        services.TryAddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.TryAddSingleton<PostgresTemplateStore>();
        services.TryAddSingleton(sp => new PostgresAuditLog(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.Key()));

        services.TryAddSingleton<ITemplateStore>(sp => OnPostgres(sp)
            ? sp.GetRequiredService<PostgresTemplateStore>() : sp.GetRequiredService<SqliteTemplateStore>());
        services.TryAddSingleton<IDecisionLog>(sp => OnPostgres(sp)
            ? new PostgresDecisionLog(sp.GetRequiredService<PostgresDatabase>()) : new SqliteDecisionLog(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IChallengeStore>(sp => OnPostgres(sp)
            ? new PostgresChallengeStore(sp.GetRequiredService<PostgresDatabase>()) : new SqliteChallengeStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<ISubjectAttemptStore>(sp => OnPostgres(sp)
            ? new PostgresSubjectAttemptStore(sp.GetRequiredService<PostgresDatabase>())
            : new SqliteSubjectAttemptStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IApiKeyStore>(sp => OnPostgres(sp)
            ? new PostgresApiKeyStore(sp.GetRequiredService<PostgresDatabase>()) : new SqliteApiKeyStore(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IGallery>(sp => OnPostgres(sp)
            ? new PostgresGallery(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<DataKeyRing>())
            : new InMemoryGallery(sp.GetRequiredService<SqliteTemplateStore>()));
        services.TryAddSingleton<IAuditLog>(sp => OnPostgres(sp) ? sp.GetRequiredService<PostgresAuditLog>() : sp.GetRequiredService<SqliteAuditLog>());
        services.TryAddSingleton<IAuditTrail>(sp => OnPostgres(sp) ? sp.GetRequiredService<PostgresAuditLog>() : sp.GetRequiredService<SqliteAuditLog>());
    }

    private static bool OnPostgres(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres;

    private static bool IsConnectionString(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value) is { Host.Length: > 0, Database.Length: > 0 };
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The folder of the instance's local files (beside the SQLite file), whichever provider holds the stores.</summary>
    public static string DataDirectory(IServiceProvider services, IConfiguration configuration) =>
        Path.GetDirectoryName(SqlitePath(services, configuration))!;

    /// <summary>A path from configuration: absolute as given, else under the content root (the working directory when none is set).</summary>
    public static string ResolvePath(IConfiguration configuration, string path) =>
        Path.GetFullPath(Path.Combine(configuration[ContentRootKey] is { Length: > 0 } root ? root : Environment.CurrentDirectory, path));

    private static string SqlitePath(IServiceProvider services, IConfiguration configuration) =>
        ResolvePath(configuration, services.GetRequiredService<IOptions<StorageOptions>>().Value.SqlitePath);

    private static void BindPipeline(PipelineOptions options, IConfiguration configuration)
    {
        // The pipeline's options come from several sections a deployment already knows by name.
        options.Images = configuration.GetSection("Images").Get<ImageLimits>() ?? options.Images;
        options.Detector = configuration.GetSection("Detection").Get<DetectorOptions>() ?? options.Detector;
        options.Selection = configuration.GetSection("Selection").Get<SelectionOptions>() ?? options.Selection;
        options.Inference = configuration.GetSection("Inference").Get<InferenceOptions>() ?? options.Inference;
        options.LivenessThreshold = configuration.GetValue("Liveness:Threshold", options.LivenessThreshold);
        options.LivenessMinContextScale = configuration.GetValue("Liveness:MinContextScale", options.LivenessMinContextScale);
        options.ParallelStages = configuration.GetValue("Inference:ParallelStages", options.ParallelStages);
        options.RefineLandmarks = configuration.GetValue("Alignment:RefineLandmarks", options.RefineLandmarks);
    }
}
