using IdVerify.Core.Access;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Configuration section <c>RateLimits</c>: per key and scope, e.g. <c>RateLimits:Verify:PermitLimit=120</c>. The defaults
/// are well above what one kiosk or one onboarding desk does (a verify takes a customer several seconds) and well below
/// what one service instance can serve, so a leaked or runaway key cannot take the service for itself.
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    public ScopeRateLimit Verify { get; set; } = new() { PermitLimit = 60 };

    public ScopeRateLimit Identify { get; set; } = new() { PermitLimit = 60 };

    public ScopeRateLimit Enroll { get; set; } = new() { PermitLimit = 30 };

    public ScopeRateLimit SubjectsReenroll { get; set; } = new() { PermitLimit = 10 };

    public ScopeRateLimit SubjectsDelete { get; set; } = new() { PermitLimit = 30 };

    public ScopeRateLimit Audit { get; set; } = new() { PermitLimit = 60 };

    public ScopeRateLimit Admin { get; set; } = new() { PermitLimit = 30 };

    public ScopeRateLimit For(string scope) => scope switch
    {
        ApiKeyScopes.Verify => Verify,
        ApiKeyScopes.Identify => Identify,
        ApiKeyScopes.Enroll => Enroll,
        ApiKeyScopes.SubjectsReenroll => SubjectsReenroll,
        ApiKeyScopes.SubjectsDelete => SubjectsDelete,
        ApiKeyScopes.Audit => Audit,
        ApiKeyScopes.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a scope."),
    };

    public IEnumerable<ScopeRateLimit> Each() => ApiKeyScopes.All.Select(For);
}
