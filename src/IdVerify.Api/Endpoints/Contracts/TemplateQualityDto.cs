using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record TemplateQualityDto(
    float DetectionScore,
    float FaceWidth,
    float FaceHeight,
    float InterEyeDistance,
    float LivenessScore,
    float Sharpness,
    float Brightness,
    float Yaw,
    float Pitch,
    float Roll)
{
    public static TemplateQualityDto From(TemplateQuality q) =>
        new(q.DetectionScore, q.FaceWidth, q.FaceHeight, q.InterEyeDistance, q.LivenessScore, q.Sharpness, q.Brightness, q.Yaw, q.Pitch, q.Roll);
}
