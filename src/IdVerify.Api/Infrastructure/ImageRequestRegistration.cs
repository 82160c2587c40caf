using IdVerify.Api.Endpoints;
using Microsoft.AspNetCore.Http.Features;

namespace IdVerify.Api.Infrastructure;

public static class ImageRequestRegistration
{
    /// <summary>The request reader, the inference queue, and body (size and read deadline) and header limits sized for the largest legitimate request.</summary>
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
        // largest legitimate body is an enrollment of the most images, base64-encoded, or a challenge's burst of frames.
        // The reader holds each request to its own shape's limit below this one.
        var maxBody = RequestBodyLimits.From(configuration).Largest;
        webHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = maxBody;
            HttpLimitsStartupFilter.RaiseKestrelLimits(k);
        });
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = maxBody);
        services.AddTransient<IStartupFilter, HttpLimitsStartupFilter>();
        return services;
    }
}
