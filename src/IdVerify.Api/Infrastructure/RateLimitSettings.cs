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

    /// <summary>The pool of <c>POST /v1/quality</c>, apart from its <c>verify</c> scope's: a kiosk's live hint (about 2 a second) must not use up its verifies.</summary>
    public const string QualityPool = "quality";

    public ScopeRateLimit Verify { get; set; } = new() { PermitLimit = 60 };

    public ScopeRateLimit Quality { get; set; } = new() { PermitLimit = 300 };

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
        QualityPool => Quality,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a scope or pool."),
    };

    public IEnumerable<ScopeRateLimit> Each() => ApiKeyScopes.All.Append(QualityPool).Select(For);
}
