using System.Text.RegularExpressions;

namespace IdVerify.Core.Templates;

public static partial class SubjectIds
{
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
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
}
