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
            var scope = ScopeOf(context);
            var name = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
            if (scope is null || name is null)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value.For(scope);
            return limit.PermitLimit <= 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter($"{scope} {name}", _ => new FixedWindowRateLimiterOptions
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

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var scope = ScopeOf(context) ?? "";
        var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value.For(scope);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = ProblemMapping.Create(ErrorCodes.RateLimited,
            $"The key '{context.User.Identity?.Name}' made its {limit.PermitLimit} '{scope}' requests for this {limit.Window.TotalSeconds:0} s window; retry in {seconds} s.");
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(
            new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
