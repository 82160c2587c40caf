using System.Text.RegularExpressions;

namespace IdVerify.Core.Templates;

public static partial class SubjectIds
{
    /// <summary>
    /// <c>\z</c>, not <c>$</c>: <c>$</c> also matches before a final newline, which let <c>"victim\n"</c> through as a
    /// second subject beside <c>"victim"</c>.
    /// </summary>
    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Validate(string? subjectId)
    {
        if (subjectId is null || !Pattern().IsMatch(subjectId))
        {
            throw new IdVerifyException(ErrorCodes.InvalidSubjectId,
                "subjectId must be 1 to 128 characters from A-Z, a-z, 0-9 and . _ : -");
        }

        return subjectId;
    }

    /// <summary>The one answer for a subject id that names no enrolled subject.</summary>
    public static IdVerifyException NotEnrolled(string subjectId) =>
        new(ErrorCodes.SubjectNotFound, $"Subject '{subjectId}' is not enrolled.");
}
