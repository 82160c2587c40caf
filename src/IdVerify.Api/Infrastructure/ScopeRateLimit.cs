namespace IdVerify.Api.Infrastructure;

/// <summary>Requests one key may make under one scope per window (fixed window); 0 = no limit.</summary>
public sealed class ScopeRateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
