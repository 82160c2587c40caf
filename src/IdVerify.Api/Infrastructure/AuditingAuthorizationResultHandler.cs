using IdVerify.Core.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Records requests that authorization refused on an audited route (a kiosk trying to swap a model, say): they never reach
/// <see cref="AuditEndpointFilter"/>. The outcome is <c>forbidden</c> (403) or <c>unauthorized</c> (401), as answered.
/// </summary>
public sealed class AuditingAuthorizationResultHandler(AuthorizationMiddlewareResultHandler inner, IAuditLog log) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        await inner.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is not { } audited)
        {
            return;
        }

        var entry = new AuditEntry(audited.Action).Subject(context.Request.RouteValues["subjectId"] as string)
            .Detail("method", context.Request.Method)
            .Detail("path", context.Request.Path.Value);
        var outcome = context.Response.StatusCode == StatusCodes.Status401Unauthorized ? "unauthorized" : "forbidden";
        await log.AppendAsync(new AuditEvent(entry.Action, outcome, entry.SubjectId, context.User.Identity?.Name, context.TraceIdentifier,
            entry.Details), CancellationToken.None);
    }
}
