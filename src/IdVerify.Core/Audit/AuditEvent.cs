namespace IdVerify.Core.Audit;

/// <summary>
/// One event for the append-only audit log: who did what to which subject, and how it ended. Never an image, a crop
/// or an embedding; <paramref name="Details"/> holds decision figures and ids only.
/// </summary>
/// <param name="Action">one of <see cref="AuditActions"/>.</param>
/// <param name="Outcome"><c>ok</c>, or the error code the request ended with.</param>
/// <param name="Actor">the API key's name (<c>HttpContext.User.Identity.Name</c>), or the CLI user; null when unauthenticated.</param>
/// <param name="RequestId">the HTTP request's trace identifier.</param>
public sealed record AuditEvent(
    string Action,
    string Outcome,
    string? SubjectId,
    string? Actor,
    string? RequestId,
    IReadOnlyDictionary<string, string?>? Details = null);
