using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// The largest body each request shape can legitimately need, from the image, enrollment and challenge limits, so a
/// request is refused as soon as its length says it cannot be valid, before any of it is buffered.
/// </summary>
public sealed record RequestBodyLimits(long EnrollForm, long EnrollJson, long VerifyForm, long VerifyJson, long JsonValue)
{
    /// <summary>Form fields, multipart headers and JSON punctuation around the images.</summary>
    private const long Envelope = 1024 * 1024;

    /// <summary>Room for a <c>data:image/…;base64,</c> prefix before an image's base64.</summary>
    private const long DataUrlPrefix = 1024;

    /// <summary>A challenge's burst is of kiosk frames, far below the per-image limit, so its allowance is capped.</summary>
    private const long BurstCap = 64L << 20;

    /// <summary>The most any request may send: Kestrel's own limit.</summary>
    public long Largest => Math.Max(Math.Max(EnrollForm, EnrollJson), Math.Max(VerifyForm, VerifyJson));

    public static RequestBodyLimits From(ImageLimits images, EnrollmentOptions enrollment, ChallengeOptions challenge)
    {
        // Base64 is 4 characters per 3 bytes; line breaks every 76 characters (MIME, Android's Base64.DEFAULT) add
        // 2 more, and 4 when JSON escapes them as \r\n.
        var base64 = ((images.MaxBytes + 2) / 3 * 4) + ((images.MaxBytes + 56) / 57 * 4);
        return new RequestBodyLimits(
            EnrollForm: (images.MaxBytes * enrollment.MaxImagesPerRequest) + Envelope,
            EnrollJson: (base64 * enrollment.MaxImagesPerRequest) + Envelope,
            VerifyForm: Math.Max(images.MaxBytes, Math.Min(images.MaxBytes * challenge.MaxFrames, BurstCap)) + Envelope,
            VerifyJson: Math.Max(base64, Math.Min(base64 * challenge.MaxFrames, BurstCap)) + Envelope,
            JsonValue: base64 + DataUrlPrefix);
    }

    public static RequestBodyLimits From(IConfiguration configuration) => From(
        configuration.GetSection("Images").Get<ImageLimits>() ?? new ImageLimits(),
        configuration.GetSection("Enrollment").Get<EnrollmentOptions>() ?? new EnrollmentOptions(),
        configuration.GetSection("Challenge").Get<ChallengeOptions>() ?? new ChallengeOptions());
}
