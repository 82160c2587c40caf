namespace IdVerify.Core.Models;

/// <summary>
/// How a detector's five-point yaw maps onto head yaw in degrees: calibrated yaw = <see cref="Gain"/> × five-point yaw,
/// a least-squares fit through the origin against <see cref="Reference"/> on <see cref="Frames"/> frames of
/// <see cref="Dataset"/>, <see cref="ResidualDegrees"/> the residual's standard deviation. <c>eval-challenge</c> measures it.
/// </summary>
public sealed record YawCalibration(float Gain, string Reference, string Dataset, int Frames, float ResidualDegrees);
