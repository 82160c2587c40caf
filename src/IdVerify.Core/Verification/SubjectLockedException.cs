namespace IdVerify.Core.Verification;

/// <summary>A verify refused because the subject is locked after too many failures; the caller may retry after <see cref="RetryAfter"/>.</summary>
public sealed class SubjectLockedException(string message, TimeSpan retryAfter) : IdVerifyException(ErrorCodes.SubjectLocked, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
