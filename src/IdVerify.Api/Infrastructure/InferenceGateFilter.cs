using IdVerify.Api.Endpoints;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Puts an endpoint's work behind the <see cref="InferenceGate"/>, after its body has arrived in full within
/// <see cref="RequestLimitSettings.BodyReadTimeout"/>: two slow uploads used to hold both inference slots of a small box
/// (and every verify waited behind them) while the health check said Healthy.
/// </summary>
public sealed class InferenceGateFilter(InferenceGate gate, IOptions<RequestLimitSettings> limits, ImageRequestReader reader) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // The body is held to its shape's limit while it is buffered: a declared length over it is refused before a byte
        // is read, and a chunked body is cut off at it, so buffering can never cost more than a valid request.
        var many = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ImageRequestShape>()?.Many ?? true;
        await RequestBodyBuffer.ReadAsync(context.HttpContext, limits.Value.BodyReadTimeout, reader.BodyLimit(context.HttpContext.Request, many));
        using var slot = await gate.EnterAsync(context.HttpContext.RequestAborted);
        return await next(context);
    }
}
