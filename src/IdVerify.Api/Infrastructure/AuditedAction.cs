namespace IdVerify.Api.Infrastructure;

/// <summary>Endpoint metadata: the audit action the route records (one of <see cref="Core.Audit.AuditActions"/>).</summary>
public sealed record AuditedAction(string Action);
