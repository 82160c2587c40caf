using IdVerify.Core.Hosting;

namespace IdVerify.Api.Infrastructure;

public static class FaceEngineRegistration
{
    /// <summary>Core (options, stores, the face-services factory) plus the generations the service swaps between.</summary>
    public static IServiceCollection AddFaceEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdVerifyCore(configuration);
        services.AddSingleton<FaceEngine>();
        services.AddHostedService<FaceEngineStartup>();
        return services;
    }
}
