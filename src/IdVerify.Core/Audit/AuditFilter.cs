namespace IdVerify.Core.Audit;

/// <summary>Which audit records to read; every criterion is optional. Times are a half-open range: <c>From ≤ time &lt; To</c>.</summary>
public sealed record AuditFilter(string? SubjectId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Action = null);
