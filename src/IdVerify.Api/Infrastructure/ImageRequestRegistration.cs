using IdVerify.Api.Endpoints;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Verification;
using Microsoft.AspNetCore.Http.Features;

namespace IdVerify.Api.Infrastructure;

public static class ImageRequestRegistration
{
    /// <summary>The request reader, the inference queue, and body limits (size and read deadline) sized for the largest legitimate request.</summary>
    public static IServiceCollection AddImageRequests(this IServiceCollection services, IWebHostBuilder webHost, IConfiguration configuration)
    {
        services.AddSingleton<ImageRequestReader>();
        services.AddOptions<AdmissionSettings>().BindConfiguration("Inference")
            .Validate(a => a.MaxConcurrentRequests >= 0 && a.MaxQueuedRequests >= 0, "Inference:MaxConcurrentRequests and MaxQueuedRequests must be ≥ 0.")
            .ValidateOnStart();
        services.AddSingleton<InferenceGate>();
        services.AddOptions<RequestLimitSettings>().BindConfiguration(RequestLimitSettings.Section)
            .Validate(l => l.BodyReadTimeout > TimeSpan.Zero && l.BodyReadTimeout <= TimeSpan.FromMinutes(10), "Limits:BodyReadTimeout must be between 0 and 10 minutes.")
            .ValidateOnStart();

        // Kestrel's limit is set before the container exists, so it reads the same sections the options bind: the
        // largest legitimate body is an enrollment of the most images, base64-encoded, or a challenge's burst of
        // frames (kiosk frames are small, so that allowance is capped at 64 MiB).
        var limits = configuration.GetSection("Images").Get<ImageLimits>() ?? new ImageLimits();
        var maxImages = configuration.GetSection("Enrollment").Get<EnrollmentOptions>()?.MaxImagesPerRequest ?? new EnrollmentOptions().MaxImagesPerRequest;
        var maxFrames = configuration.GetSection("Challenge").Get<ChallengeOptions>()?.MaxFrames ?? new ChallengeOptions().MaxFrames;
        var maxBody = Math.Max(limits.MaxBytes * maxImages * 4 / 3, Math.Min(limits.MaxBytes * maxFrames * 4 / 3, 64L << 20)) + (1024 * 1024);
        webHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = maxBody);
        return services;
    }
}
