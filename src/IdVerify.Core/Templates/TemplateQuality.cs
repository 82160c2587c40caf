namespace IdVerify.Core.Templates;

/// <summary>Figures about the photo a template came from; the photo itself is never kept.</summary>
public sealed record TemplateQuality(
    float DetectionScore,
    float FaceWidth,
    float FaceHeight,
    float InterEyeDistance,
    float LivenessScore,
    float Sharpness = 0,
    float Brightness = 0,
    float Yaw = 0,
    float Pitch = 0,
    float Roll = 0);
