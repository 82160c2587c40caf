using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

public sealed class LocalAdminHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var remote = Context.Connection.RemoteIpAddress;
        var local = remote is null || IPAddress.IsLoopback(remote);
        if (!local && !configuration.GetValue("Admin:AllowRemote", false))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "local-admin"), new Claim(ClaimTypes.Role, AdminAccess.Role)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Forbid();

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Forbid();

    private async Task Forbid()
    {
        var problem = ProblemMapping.Create("admin_forbidden", "Admin routes are only served to callers on this machine.", StatusCodes.Status403Forbidden);
        problem.Title = "Admin access required";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
