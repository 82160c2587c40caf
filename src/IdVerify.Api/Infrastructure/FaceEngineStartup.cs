using IdVerify.Core.Hosting;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Loads the model bundle before the server accepts requests: a missing or tampered model file, an unavailable
/// execution provider, or an FMR target the embedder was never calibrated for stops the service at start.
/// </summary>
public sealed class FaceEngineStartup(FaceEngine engine, FaceServicesFactory factory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        engine.Activate(await factory.BuildAsync(cancellationToken));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
