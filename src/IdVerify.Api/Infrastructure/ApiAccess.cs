using System.Net;
using IdVerify.Core.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Who may call what: API keys with scopes (<see cref="ApiKeyHandler"/>), one authorization policy per scope, per-key rate
/// limits (<see cref="ScopeRateLimiting"/>), the bootstrap key on a fresh database, and forwarded headers believed only
/// from configured proxies. Routes name their scope with <c>RequireAuthorization(ApiKeyScopes.X)</c>; a route that names none still
/// needs a usable key (the fallback policy); health and OpenAPI are <c>AllowAnonymous</c>.
/// </summary>
public static class ApiAccess
{
    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        services.AddOptions<AuthSettings>().BindConfiguration(AuthSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthSettings>, AuthSettingsValidation>();
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section)
            .Validate(r => r.Each().All(l => l.PermitLimit >= 0 && l.Window > TimeSpan.Zero && l.Window <= TimeSpan.FromDays(1)),
                "RateLimits:<Scope>:PermitLimit must be ≥ 0 (0 = no limit) and Window between 0 and 1 day.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section)
            .Validate(f => f.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must hold IP addresses.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: not even loopback (the framework's default) is believed otherwise.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService<ApiKeyBootstrap>();
        services.AddAuthentication(ApiKeyHandler.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyHandler>(
            ApiKeyHandler.SchemeName, null);
        // A route mapped without its scope still needs a usable key; only health and OpenAPI allow anonymous callers.
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyHandler.SchemeName).RequireAuthenticatedUser().Build());
        foreach (var scope in ApiKeyScopes.All)
        {
            authorization.AddPolicy(scope, p => p.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireClaim(ApiKeyScopes.ClaimType, scope));
        }

        services.AddRateLimiter(ScopeRateLimiting.Configure);
        return services;
    }

    /// <summary>Forwarded headers (when proxies are configured), then the key check, the scope check and the rate limits.</summary>
    public static WebApplication UseApiAccess(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The answers every scoped route may give before its handler runs, for OpenAPI.</summary>
    public static TBuilder ProducesAccessProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
