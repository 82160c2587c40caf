namespace IdVerify.Core.Audit;

/// <summary>Records in sequence order; <paramref name="Next"/> is the <c>After</c> of the following page, null on the last one.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Next);
