namespace IdVerify.Core.Audit;

/// <summary>The outcome of walking the whole chain.</summary>
/// <param name="Records">records checked (up to and including the broken one).</param>
/// <param name="LastSequence">the last intact record's sequence number (0 when none).</param>
/// <param name="LastHash">its hash: write it down elsewhere to detect a later truncation or rewrite.</param>
/// <param name="UnkeyedRecords">records chained with plain SHA-256 (before a key was configured).</param>
/// <param name="KeyId">the fingerprint of the key verified with; null without one.</param>
public sealed record AuditChainReport(long Records, long LastSequence, string LastHash, long UnkeyedRecords, string? KeyId, AuditBreak? Break)
{
    public bool Intact => Break is null;
}
