using Microsoft.AspNetCore.Authentication;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Admin routes sit behind their own authorization policy. Until the API-key scheme lands, the only admin is a
/// caller on this machine (loopback or in-process), unless <c>Admin:AllowRemote</c> is set; the scheme is the seam
/// the key check will replace, so kiosk routes never carry admin rights.
/// </summary>
public static class AdminAccess
{
    public const string Scheme = "admin";
    public const string Policy = "admin";
    public const string Role = "admin";

    public static IServiceCollection AddAdminAccess(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, LocalAdminHandler>(Scheme, null);
        var authorization = services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Role));

        // Until API keys land, every scope other than the kiosk's is the local admin's.
        foreach (var scope in ApiScopes.All.Where(s => s is not (ApiScopes.Admin or ApiScopes.Verify or ApiScopes.Enroll)))
        {
            authorization.AddPolicy(scope, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Role));
        }

        return services;
    }
}
