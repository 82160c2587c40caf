namespace IdVerify.Core.Audit;

/// <summary>The first place the chain is broken: the record at <paramref name="Sequence"/> (null <paramref name="Record"/> when it is missing).</summary>
public sealed record AuditBreak(long Sequence, AuditBreakKind Kind, string Reason, AuditRecord? Record);
