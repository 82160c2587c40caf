using IdVerify.Core.Models;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A model an operator registered, as the local manifest now describes it.</summary>
public sealed record RegisteredModelDto(string Id, string Role, string Family, string File, long Bytes, string Sha256, string Licence, bool Calibrated)
{
    public static RegisteredModelDto From(ModelEntry m) =>
        new(m.Id, m.Role, m.Family, m.File, m.Bytes, m.Sha256, m.Licence, m.Calibration is { Count: > 0 });
}
