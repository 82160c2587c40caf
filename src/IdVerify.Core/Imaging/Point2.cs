namespace IdVerify.Core.Imaging;

/// <summary>A point in image pixels.</summary>
public readonly record struct Point2(float X, float Y);
