namespace IdVerify.Core.Audit;

/// <summary>A page of records: those after sequence number <paramref name="After"/>, at most <paramref name="Limit"/>.</summary>
public sealed record AuditPageRequest(long After = 0, int Limit = AuditPageRequest.DefaultLimit)
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;
}
