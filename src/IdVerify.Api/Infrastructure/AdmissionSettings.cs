namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>Inference</c> (request admission; the ONNX Runtime settings are in the same section).</summary>
public sealed class AdmissionSettings
{
    /// <summary>Face-pipeline requests run at once; 0 = one per core (each inference uses one thread).</summary>
    public int MaxConcurrentRequests { get; set; }

    /// <summary>Requests that may wait for a slot; beyond that the service answers 503 with Retry-After.</summary>
    public int MaxQueuedRequests { get; set; } = 8;
}
