using IdVerify.Core;

namespace IdVerify.Api.Endpoints;

/// <summary>A subject id and its images, from either a multipart form or a JSON body with base64 images.</summary>
public sealed record ImageRequest(
    string? SubjectId,
    IReadOnlyList<byte[]> Images,
    double? FmrTarget = null,
    string? ChallengeId = null,
    IReadOnlyList<byte[]>? Frames = null)
{
    /// <summary>The one image a single-photo route takes (verify without a challenge, identify, quality).</summary>
    public byte[] SingleImage(string route) => Images.Count switch
    {
        0 => throw new IdVerifyException(ErrorCodes.ImageMissing, "Send the photo as the 'image' field."),
        1 => Images[0],
        _ => throw new IdVerifyException(ErrorCodes.TooManyImages, $"{route} takes exactly one 'image'."),
    };
}
