namespace IdVerify.Api.Infrastructure;

/// <summary>What an API key may do. Each scope is also the name of the authorization policy that requires it.</summary>
public static class ApiScopes
{
    /// <summary>The claim that carries one scope of the caller's key.</summary>
    public const string ClaimType = "scope";

    /// <summary>Kiosks: verify and liveness challenges.</summary>
    public const string Verify = "verify";

    /// <summary>Onboarding: enroll and read subjects.</summary>
    public const string Enroll = "enroll";

    /// <summary>Add templates to an enrolled subject without the new face having to match the old ones (audited).</summary>
    public const string SubjectsReenroll = "subjects:reenroll";

    public const string SubjectsDelete = "subjects:delete";

    /// <summary>Read decisions and the audit log.</summary>
    public const string Audit = "audit";

    /// <summary>Models and keys.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Verify, Enroll, SubjectsReenroll, SubjectsDelete, Audit, Admin];
}
