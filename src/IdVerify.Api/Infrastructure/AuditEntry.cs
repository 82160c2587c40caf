using IdVerify.Core;
using IdVerify.Core.Templates;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// What one audited request has told the audit trail so far: the action, the subject, and details that only the handler
/// knows (the subject id in a form, a challenge id). <see cref="AuditEndpointFilter"/> adds the outcome and appends it.
/// Values are short ids and figures: never an image, a crop or an embedding.
/// </summary>
public sealed class AuditEntry(string action)
{
    /// <summary>Longer values are cut: the log keeps what a caller sent in a field, not a payload.</summary>
    public const int MaxValueLength = 128;

    public string Action { get; set; } = action;

    public string? SubjectId { get; private set; }

    public Dictionary<string, string?> Details { get; } = new(StringComparer.Ordinal);

    /// <summary>The request's entry; a detached one (recorded nowhere) when the route is not audited.</summary>
    public static AuditEntry For(HttpContext context) => context.Features.Get<AuditEntry>() ?? new AuditEntry("");

    internal static AuditEntry Begin(HttpContext context, string action)
    {
        var entry = new AuditEntry(action);
        context.Features.Set(entry);
        return entry;
    }

    /// <summary>Keeps a well-formed subject id; anything else (the request fails with invalid_subject_id) is not copied into the log.</summary>
    public AuditEntry Subject(string? subjectId)
    {
        try
        {
            SubjectId = subjectId is null ? null : SubjectIds.Validate(subjectId);
        }
        catch (IdVerifyException)
        {
            SubjectId = null;
        }

        return this;
    }

    /// <summary>Adds a detail when it has a value.</summary>
    public AuditEntry Detail(string name, string? value)
    {
        if (value is not null)
        {
            Details[name] = value.Length > MaxValueLength ? value[..MaxValueLength] : value;
        }

        return this;
    }
}
