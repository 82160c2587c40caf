namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>Limits</c>.</summary>
public sealed class RequestLimitSettings
{
    public const string Section = "Limits";

    /// <summary>
    /// Time an enroll or verify body has to arrive in full; a slower upload gets 408 <c>request_timeout</c>. It is read before
    /// the request queues for inference, so a slow upload never holds an inference slot.
    /// </summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
