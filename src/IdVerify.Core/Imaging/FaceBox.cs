namespace IdVerify.Core.Imaging;

/// <summary>An axis-aligned face box in image pixels; it may reach past the image edges.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Area => Width * Height;

    /// <summary>Whether the box reaches past the edge of a <paramref name="width"/>×<paramref name="height"/> frame.</summary>
    public bool IsCutBy(int width, int height) => X < 0 || Y < 0 || X + Width > width || Y + Height > height;

    public float CenterX => X + (Width / 2);

    public float CenterY => Y + (Height / 2);

    public float IntersectionOverUnion(FaceBox other)
    {
        var left = Math.Max(X, other.X);
        var top = Math.Max(Y, other.Y);
        var right = Math.Min(X + Width, other.X + other.Width);
        var bottom = Math.Min(Y + Height, other.Y + other.Height);
        var intersection = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        var union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
