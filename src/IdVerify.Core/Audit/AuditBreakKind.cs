namespace IdVerify.Core.Audit;

/// <summary>How the chain is broken at a record.</summary>
public enum AuditBreakKind
{
    /// <summary>The record's content no longer gives its hash: it was edited.</summary>
    Edited,

    /// <summary>The record does not point at the record before it: one was deleted, inserted or moved.</summary>
    Relinked,

    /// <summary>Sequence numbers jump: the records in between were deleted.</summary>
    Missing,

    /// <summary>The last records were deleted (SQLite had handed out higher sequence numbers).</summary>
    Truncated,

    /// <summary>The record is chained under another HMAC key than the one given.</summary>
    OtherKey,

    /// <summary>A plain SHA-256 record follows keyed ones: someone without the key rewrote it.</summary>
    Downgraded,
}
