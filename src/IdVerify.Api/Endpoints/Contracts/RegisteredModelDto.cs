using IdVerify.Core.Models;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A model an operator registered, as the local manifest now describes it.</summary>
public sealed record RegisteredModelDto(string Id, string Role, string Family, string File, long Bytes, string Sha256, string Licence, bool Calibrated) : IHasOpenApiExample<RegisteredModelDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static RegisteredModelDto Example { get; } = new("bank-embedder-v2", "embedder", "arcface112", "custom/bank-embedder-v2.onnx", 4001322,
        "1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", "in-house, internal use", Calibrated: false);

    public static RegisteredModelDto From(ModelEntry m) =>
        new(m.Id, m.Role, m.Family, m.File, m.Bytes, m.Sha256, m.Licence, m.Calibration is { Count: > 0 });
}
