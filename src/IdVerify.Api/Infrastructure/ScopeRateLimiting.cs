using System.Globalization;
using System.Threading.RateLimiting;
using IdVerify.Core;
using IdVerify.Core.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Per-key rate limits: one fixed window per key name and scope, sized by <see cref="RateLimitSettings"/>. The scope is
/// the one the endpoint requires (its <c>RequireAuthorization(scope)</c>), so every scoped route is limited, including
/// routes added later; open routes (health, OpenAPI) and requests that were not authenticated are not.
/// </summary>
public static class ScopeRateLimiting
{
    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var pool = PoolOf(context);
            var name = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
            if (pool is null || name is null)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value.For(pool);
            return limit.PermitLimit <= 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter($"{pool} {name}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
        });
        options.OnRejected = OnRejectedAsync;
    }

    /// <summary>The scope the endpoint's authorization requires, or null for open routes.</summary>
    public static string? ScopeOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null && ApiKeyScopes.All.Contains(p));

    /// <summary>The window a request counts against: the route's own pool (<see cref="RateLimitPool"/>) or its scope's.</summary>
    private static string? PoolOf(HttpContext context) =>
        ScopeOf(context) is { } scope ? context.GetEndpoint()?.Metadata.GetMetadata<RateLimitPool>()?.Name ?? scope : null;

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var pool = PoolOf(context) ?? "";
        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value.For(pool);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = ProblemMapping.Create(ErrorCodes.RateLimited,
            $"The key '{context.User.Identity?.Name}' made its {limit.PermitLimit} '{pool}' requests for this {limit.Window.TotalSeconds:0} s window; retry in {seconds} s.");
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(
            new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
