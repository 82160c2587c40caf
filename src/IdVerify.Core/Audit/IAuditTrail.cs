namespace IdVerify.Core.Audit;

/// <summary>Reading and checking the audit log that <see cref="IAuditLog"/> appends to.</summary>
public interface IAuditTrail
{
    Task<AuditPage> ReadAsync(AuditFilter filter, AuditPageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Walks every record in order, recomputing each hash; the report names the first broken record, if any.</summary>
    Task<AuditChainReport> VerifyChainAsync(CancellationToken cancellationToken = default);
}
