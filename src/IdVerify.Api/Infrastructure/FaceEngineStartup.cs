using IdVerify.Core.Audit;
using IdVerify.Core.Hosting;
using IdVerify.Core.Templates;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Loads the model bundle before the server accepts requests: a missing or tampered model file, an unavailable
/// execution provider, or an FMR target the embedder was never calibrated for stops the service at start. Ready
/// means warmed: the pipeline and the request path around it have each run once.
/// </summary>
public sealed partial class FaceEngineStartup(FaceEngine engine, FaceServicesFactory factory, IServiceProvider services,
    ITemplateStore templates, DataKeyRing dataKeys, IAuditLog audit, ILogger<FaceEngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Templates written before rows were sealed are sealed now, so the store never keeps one in clear.
        var sealedRows = await templates.RotateAsync(dataKeys.ActiveId, unsealedOnly: true, cancellationToken);
        if (sealedRows.Rows > 0)
        {
            LogSealed(logger, sealedRows.Rows, dataKeys.ActiveId, sealedRows.CropsDropped);
        }

        var built = await factory.BuildAsync(cancellationToken);
        await RequestPathWarmUp.RunAsync(services, cancellationToken);
        var pipeline = built.Pipeline;
        await audit.AppendAsync(new AuditEvent(AuditActions.ServiceStart, "ok", null, null, null, new Dictionary<string, string?>
        {
            ["detector"] = pipeline.Detector.ModelId,
            ["embedder"] = pipeline.Embedder.Model.Id,
            ["liveness"] = pipeline.Liveness.ModelId,
            ["provider"] = pipeline.Provider.Actual,
            ["jpegDecoder"] = pipeline.Decoder.JpegDecoder,
            ["fmrTarget"] = built.Policy.FmrTarget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), cancellationToken);
        engine.Activate(built);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealed {Rows} templates stored in clear with data key {KeyId}; dropped {Crops} old-format face crops")]
    private static partial void LogSealed(ILogger logger, int rows, string keyId, int crops);
}
