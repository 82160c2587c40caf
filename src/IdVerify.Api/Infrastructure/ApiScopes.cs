using IdVerify.Core.Access;

namespace IdVerify.Api.Infrastructure;

/// <summary>What an API key may do. Each scope is also the name of the authorization policy that requires it.</summary>
public static class ApiScopes
{
    /// <summary>The claim that carries one scope of the caller's key.</summary>
    public const string ClaimType = "scope";

    /// <summary>Kiosks: verify and liveness challenges.</summary>
    public const string Verify = ApiKeyScopes.Verify;

    /// <summary>Onboarding: enroll and read subjects.</summary>
    public const string Enroll = ApiKeyScopes.Enroll;

    /// <summary>Add templates to an enrolled subject without the new face having to match the old ones (audited).</summary>
    public const string SubjectsReenroll = ApiKeyScopes.SubjectsReenroll;

    public const string SubjectsDelete = ApiKeyScopes.SubjectsDelete;

    /// <summary>Read decisions and the audit log.</summary>
    public const string Audit = ApiKeyScopes.Audit;

    /// <summary>Models and keys.</summary>
    public const string Admin = ApiKeyScopes.Admin;

    public static IReadOnlyList<string> All => ApiKeyScopes.All;
}
