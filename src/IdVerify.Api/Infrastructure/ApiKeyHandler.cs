using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using IdVerify.Core;
using IdVerify.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Authenticates the caller by the API key in <c>X-Api-Key</c> (or <c>Authorization: ApiKey …</c>): the principal's name
/// is the key's name and it carries one <see cref="ApiKeyScopes.ClaimType"/> claim per scope. No key answers 401
/// <c>api_key_missing</c>; an unknown, revoked or expired key 401 <c>api_key_invalid</c>; a key without the route's scope 403
/// <c>scope_forbidden</c>. With <c>Auth:Mode=open</c>, a caller on this machine without a valid key gets every scope.
/// </summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyCache keys, IOptions<AuthSettings> settings, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The caller's name in open mode.</summary>
    public const string OpenModeName = "open-mode";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        var key = presented is null ? null : await keys.FindAsync(presented, Context.RequestAborted);
        if (key is not null)
        {
            return Success(key.Name, key.Scopes);
        }

        // Open mode is also refused at start unless every listen address is loopback; this holds it per connection too.
        if (settings.Value.Mode == AuthMode.Open && (Context.Connection.LocalIpAddress is not { } local || IPAddress.IsLoopback(local)))
        {
            return Success(OpenModeName, ApiKeyScopes.All);
        }

        return presented is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await WriteAsync(result.Failure is null
            ? ProblemMapping.Create(ErrorCodes.ApiKeyMissing, $"Send an API key in the {HeaderName} header.")
            : ProblemMapping.Create(ErrorCodes.ApiKeyInvalid, "The API key is unknown, revoked or expired."));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Where(ApiKeyScopes.All.Contains).ToList() ?? [];
        await WriteAsync(ProblemMapping.Create(ErrorCodes.ScopeForbidden, needed.Count > 0
            ? $"The key '{Context.User.Identity?.Name}' lacks the scope '{string.Join("', '", needed)}' this route needs."
            : $"The key '{Context.User.Identity?.Name}' may not call this route."));
    }

    /// <summary>The key the request carries, or null.</summary>
    public static string? Presented(HttpRequest request)
    {
        // Two keys in one request are one invalid key, not a choice.
        if (request.Headers[HeaderName] is { Count: > 0 } header)
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) && authorization.Length > SchemeName.Length + 1
            ? authorization[(SchemeName.Length + 1)..].Trim()
            : null;
    }

    private AuthenticateResult Success(string name, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. scopes.Select(s => new Claim(ApiKeyScopes.ClaimType, s))], Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private async Task WriteAsync(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem });
    }
}
