namespace IdVerify.Core.Audit;

/// <summary>The append-only, hash-chained record of every enroll, verify, erasure, lockout, key and admin action.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);
}
