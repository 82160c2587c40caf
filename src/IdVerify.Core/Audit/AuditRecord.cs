namespace IdVerify.Core.Audit;

/// <summary>One stored audit record: the event as appended, its place in the chain and the hashes that link it.</summary>
/// <param name="Sequence">1, 2, 3, … with no gaps; a gap means records were deleted.</param>
/// <param name="KeyId">the fingerprint of the HMAC key it was chained under (<see cref="AuditChain.KeyIdOf"/>); null for plain SHA-256.</param>
/// <param name="PrevHash">the previous record's <paramref name="Hash"/> (64 zeros for the first record).</param>
/// <param name="Hash">hex of SHA-256, or HMAC-SHA256, over <paramref name="PrevHash"/> followed by the canonical content (<see cref="AuditChain"/>).</param>
public sealed record AuditRecord(
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
    string Hash);
