namespace IdVerify.Core.Models;

public sealed record ModelDefaults(string Detector, string Embedder, IReadOnlyList<string> Liveness);
