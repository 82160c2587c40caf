namespace IdVerify.Core.Models;

public sealed record ModelEntry(
    string Id,
    string Role,
    string Family,
    string File,
    string Sha256,
    long Bytes,
    string Licence,
    IReadOnlyList<string> Origins,
    ModelInput Input,
    string Output,
    int? Dimensions = null,
    IReadOnlyList<CalibrationPoint>? Calibration = null,
    float? CropScale = null,
    int? LiveClass = null,
    DerivedModel? Derived = null,
    YawCalibration? YawCalibration = null);
