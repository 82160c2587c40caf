using IdVerify.Core.Quality;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record QualityValuesDto(
    float InterEyeDistance,
    float Sharpness,
    float Brightness,
    float ClippedFraction,
    float Yaw,
    float Pitch,
    float Roll,
    bool CutByFrame)
{
    public static QualityValuesDto From(QualityValues v) =>
        new(v.InterEyeDistance, v.Sharpness, v.Brightness, v.ClippedFraction, v.Yaw, v.Pitch, v.Roll, v.CutByFrame);
}
