using IdVerify.Core.Quality;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>
/// A preview frame's quick check. <see cref="Box"/> is relative to the frame (0–1); <see cref="Issues"/> are verify's quality
/// issue codes plus <c>not_centred</c>; <see cref="Values"/> are in the frame's own pixels. No face: faceFound false, no issues.
/// </summary>
public sealed record FrameQualityResponse(
    bool FaceFound,
    bool Passed,
    IReadOnlyList<string> Issues,
    int Width,
    int Height,
    BoxDto? Box,
    float? Confidence,
    CentreOffsetDto? CentreOffset,
    QualityValuesDto? Values) : IHasOpenApiExample<FrameQualityResponse>
{
    public static FrameQualityResponse Example { get; } = new(true, true, [], 480, 360,
        new BoxDto(0.31f, 0.22f, 0.36f, 0.55f), 0.97f, new CentreOffsetDto(-0.01f, -0.005f),
        new QualityValuesDto(62.5f, 0.214f, 128f, 0.002f, 4.1f, 2.7f, -1.6f, false));

    public static FrameQualityResponse From(FrameQuality q) => q.Face is not { } face
        ? new(false, false, q.Issues, q.Width, q.Height, null, null, null, null)
        : new(true, q.Issues.Count == 0, q.Issues, q.Width, q.Height,
            new BoxDto(face.Box.X / q.Width, face.Box.Y / q.Height, face.Box.Width / q.Width, face.Box.Height / q.Height),
            face.Score,
            new CentreOffsetDto(q.CentreOffset.X, q.CentreOffset.Y),
            q.Values is { } values ? QualityValuesDto.From(values) : null);
}
