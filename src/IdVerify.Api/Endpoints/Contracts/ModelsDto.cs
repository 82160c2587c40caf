using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>The models a decision was made with.</summary>
public sealed record ModelsDto(string Detector, string Embedder, string Liveness)
{
    public static ModelsDto From(DecisionModels m) => new(m.Detector, m.Embedder, m.Liveness);
}
