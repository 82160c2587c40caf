using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Kiosk.Tests;

/// <summary>
/// A YUV4MPEG2 (4:2:0) file from still frames, for Chromium's <c>--use-file-for-fake-video-capture</c>: the browser plays it
/// at the header's frame rate, in a loop, as the camera. Frames are fitted into one size (black bars), as a camera has one.
/// </summary>
public static class Y4mVideo
{
    public const int Width = 640;
    public const int Height = 480;

    public static void Write(string path, IEnumerable<string> framePaths, int framesPerSecond)
    {
        using var output = File.Create(path);
        output.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F{framesPerSecond}:1 Ip A1:1 C420jpeg\n"));
        var luma = new byte[Width * Height];
        var blue = new byte[Width * Height / 4];
        var red = new byte[Width * Height / 4];
        foreach (var framePath in framePaths)
        {
            using var image = Image.Load<Rgb24>(framePath);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(Width, Height), Mode = ResizeMode.Pad, PadColor = Color.Black }));
            ToYuv420(image, luma, blue, red);
            output.Write("FRAME\n"u8);
            output.Write(luma);
            output.Write(blue);
            output.Write(red);
        }
    }

    /// <summary>BT.601 full range (the JPEG convention the C420jpeg tag names), chroma averaged over each 2×2 block.</summary>
    private static void ToYuv420(Image<Rgb24> image, byte[] luma, byte[] blue, byte[] red)
    {
        var cb = new float[Width / 2 * (Height / 2)];
        var cr = new float[cb.Length];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < Width; x++)
                {
                    var p = row[x];
                    luma[(y * Width) + x] = Clamp((0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B));
                    var c = ((y / 2) * (Width / 2)) + (x / 2);
                    cb[c] += 128 - (0.168736f * p.R) - (0.331264f * p.G) + (0.5f * p.B);
                    cr[c] += 128 + (0.5f * p.R) - (0.418688f * p.G) - (0.081312f * p.B);
                }
            }
        });
        for (var i = 0; i < cb.Length; i++)
        {
            blue[i] = Clamp(cb[i] / 4);
            red[i] = Clamp(cr[i] / 4);
        }
    }

    private static byte Clamp(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
