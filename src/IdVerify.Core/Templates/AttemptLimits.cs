namespace IdVerify.Core.Templates;

/// <summary>When failures lock a subject, and for how long: <see cref="FirstLockout"/>, doubling with each further failure, capped.</summary>
public sealed record AttemptLimits(int MaxConsecutiveFailures, TimeSpan FirstLockout, TimeSpan MaxLockout)
{
    /// <summary>The lock after the <paramref name="lockouts"/>-th failure over the limit (1 = the first).</summary>
    public TimeSpan LockoutAfter(int lockouts)
    {
        var doublings = Math.Min(lockouts - 1, 30);
        var lockout = FirstLockout * Math.Pow(2, doublings);
        return lockout < MaxLockout ? lockout : MaxLockout;
    }
}
