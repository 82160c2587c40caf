using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

/// <summary>API key management over HTTP, as <c>idverify keys</c> does it on the service's machine.</summary>
public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/keys").WithTags("Admin").RequireAuthorization(ApiKeyScopes.Admin).ProducesAccessProblems();

        group.MapPost("", Create)
            .WithName("CreateApiKey")
            .WithSummary("Create a key with a name, scopes and an optional expiry (90d, 12h, 30m or an ISO 8601 date); the key is in this response only.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("", List)
            .WithName("ListApiKeys")
            .WithSummary("Every key's name, scopes, state and dates (never the key or its hash).");

        group.MapDelete("/{name}", Revoke)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke a key: refused from the next request on. Its name stays taken.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Created<CreatedKeyDto>> Create(CreateKeyRequest request, ApiKeyService keys, TimeProvider time, HttpContext context,
        CancellationToken cancellationToken)
    {
        var issued = await keys.CreateAsync(request.Name ?? "", request.Scopes ?? [],
            ApiKeyService.ParseExpiry(request.Expires, time.GetUtcNow()), cancellationToken);
        await AuditAsync(context, AuditActions.KeyCreate, issued.Key.Name, string.Join(' ', issued.Key.Scopes), cancellationToken);
        return TypedResults.Created($"/v1/admin/keys#{Uri.EscapeDataString(issued.Key.Name)}", CreatedKeyDto.From(issued));
    }

    private static async Task<Ok<ApiKeysResponse>> List(ApiKeyService keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ApiKeysResponse((await keys.ListAsync(cancellationToken)).Select(k => ApiKeyDto.From(k, now)).ToList()));
    }

    private static async Task<NoContent> Revoke(string name, ApiKeyService keys, ApiKeyCache cache, HttpContext context,
        CancellationToken cancellationToken)
    {
        await keys.RevokeAsync(name, cancellationToken);
        cache.Forget(name);
        await AuditAsync(context, AuditActions.KeyRevoke, name, null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Into the audit log, where the service has one.</summary>
    private static async Task AuditAsync(HttpContext context, string action, string key, string? scopes, CancellationToken cancellationToken)
    {
        if (context.RequestServices.GetService<IAuditLog>() is { } audit)
        {
            await audit.AppendAsync(new AuditEvent(action, "ok", null, context.User.Identity?.Name, context.TraceIdentifier,
                new Dictionary<string, string?> { ["key"] = key, ["scopes"] = scopes }), cancellationToken);
        }
    }
}
