namespace IdVerify.Api.Infrastructure;

/// <summary>Puts an endpoint's work behind the <see cref="InferenceGate"/>.</summary>
public sealed class InferenceGateFilter(InferenceGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var slot = await gate.EnterAsync(context.HttpContext.RequestAborted);
        return await next(context);
    }
}
