namespace IdVerify.Core.Imaging;

/// <summary>An upload that is not a photo <see cref="ImageDecoder"/> will decode, with the error code that says why.</summary>
public sealed class ImageDecodeException(string code, string message, Exception? inner = null)
    : IdVerifyException(code, message, inner);
