namespace IdVerify.Core.Models;

/// <param name="Landmarks">the 68-point model that refines the detector's five points before alignment (Alignment:RefineLandmarks).</param>
public sealed record ModelDefaults(string Detector, string Embedder, IReadOnlyList<string> Liveness, string? Landmarks = null);
