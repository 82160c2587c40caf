namespace IdVerify.Core;

/// <summary>A failure the caller can act on, carrying a stable <see cref="ErrorCodes"/> value.</summary>
public class IdVerifyException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
