using System.ComponentModel.DataAnnotations;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Security</c>: attempt limits per subject.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Consecutive failed verifies of one subject before it is locked. NIST SP 800-63B §5.2.3 allows 5, or 10 when
    /// presentation-attack detection is in use; every verify here runs the liveness check, so 10.
    /// </summary>
    [Range(1, 100)]
    public int MaxConsecutiveFailures { get; set; } = 10;

    /// <summary>The first lock's length (800-63-4: at least 30 s); each further failure while over the limit doubles it.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lock.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromHours(1);
}
