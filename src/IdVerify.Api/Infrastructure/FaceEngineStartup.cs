using IdVerify.Core.Hosting;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Loads the model bundle before the server accepts requests: a missing or tampered model file, an unavailable
/// execution provider, or an FMR target the embedder was never calibrated for stops the service at start. Ready
/// means warmed: the pipeline and the request path around it have each run once.
/// </summary>
public sealed class FaceEngineStartup(FaceEngine engine, FaceServicesFactory factory, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var built = await factory.BuildAsync(cancellationToken);
        await RequestPathWarmUp.RunAsync(services, cancellationToken);
        engine.Activate(built);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
