using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Puts an endpoint's work behind the <see cref="InferenceGate"/>, after its body has arrived in full within
/// <see cref="RequestLimitSettings.BodyReadTimeout"/>: two slow uploads used to hold both inference slots of a small box
/// (and every verify waited behind them) while the health check said Healthy.
/// </summary>
public sealed class InferenceGateFilter(InferenceGate gate, IOptions<RequestLimitSettings> limits) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await RequestBodyBuffer.ReadAsync(context.HttpContext, limits.Value.BodyReadTimeout);
        using var slot = await gate.EnterAsync(context.HttpContext.RequestAborted);
        return await next(context);
    }
}
