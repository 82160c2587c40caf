namespace IdVerify.Core.Models;

/// <summary>How a model expects its input tensor: value = (pixel - Mean) * Scale in the given colour order.</summary>
public sealed record ModelInput(
    string Name,
    string Layout,
    int Width,
    int Height,
    string ColorOrder,
    float Mean,
    float Scale,
    string? Note);
