namespace IdVerify.Core.Access;

/// <summary>
/// The scopes an API key can be granted, known to Core so the CLI can issue keys without the service. The API names the
/// same strings as its authorization policies .
/// </summary>
public static class ApiKeyScopes
{
    /// <summary>The claim that carries one scope of the caller's key.</summary>
    public const string ClaimType = "scope";

    public const string Verify = "verify";

    /// <summary>1:N search of the whole gallery; it also lets an enrollment's duplicate answer name the other subject.</summary>
    public const string Identify = "identify";
    public const string Enroll = "enroll";
    public const string SubjectsReenroll = "subjects:reenroll";
    public const string SubjectsDelete = "subjects:delete";
    public const string Audit = "audit";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Verify, Identify, Enroll, SubjectsReenroll, SubjectsDelete, Audit, Admin];
}
