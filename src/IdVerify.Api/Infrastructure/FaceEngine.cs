using IdVerify.Core;
using IdVerify.Core.Pipeline;

namespace IdVerify.Api.Infrastructure;

/// <summary>Holds the loaded pipeline and service once start-up has pulled, verified and warmed the models.</summary>
public sealed class FaceEngine : IDisposable
{
    private VerificationService? service;

    public bool IsReady => service is not null;

    public VerificationService Service => service
        ?? throw new IdVerifyException(ErrorCodes.NotReady, "The models are still loading; retry shortly.");

    public TimeSpan LoadTime { get; private set; }

    internal void Activate(VerificationService loaded, TimeSpan loadTime)
    {
        LoadTime = loadTime;
        service = loaded;
    }

    public void Dispose() => service?.Pipeline.Dispose();
}
