namespace IdVerify.Core.Quality;

/// <summary>A photo refused for its capture quality, with the issues a kiosk can show the customer.</summary>
public sealed class QualityException(string message, IReadOnlyList<string> issues)
    : IdVerifyException(ErrorCodes.QualityTooLow, message)
{
    public IReadOnlyList<string> Issues { get; } = issues;
}
