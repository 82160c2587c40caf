using IdVerify.Core.Audit;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>One audit record with the hashes that chain it (<c>idverify audit export</c> writes the form the hash is computed over).</summary>
public sealed record AuditRecordDto(
    long Sequence,
    DateTimeOffset Time,
    string Action,
    string Outcome,
    string? SubjectId,
    string? Actor,
    string? RequestId,
    IReadOnlyDictionary<string, string?> Details,
    string? KeyId,
    string PrevHash,
    string Hash)
{
    public static AuditRecordDto From(AuditRecord r) =>
        new(r.Sequence, r.Time, r.Action, r.Outcome, r.SubjectId, r.Actor, r.RequestId, r.Details, r.KeyId, r.PrevHash, r.Hash);
}
