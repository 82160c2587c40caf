namespace IdVerify.Core.Verification;

/// <summary>Enrollment:DuplicateCheck=refuse found the face enrolled under another subject; nothing was stored.</summary>
public sealed class DuplicateIdentityException(string message, DuplicateCheckResult check)
    : IdVerifyException(ErrorCodes.DuplicateIdentity, message)
{
    public DuplicateCheckResult Check => check;
}
