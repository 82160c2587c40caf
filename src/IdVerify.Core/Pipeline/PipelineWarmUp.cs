using System.Diagnostics;
using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Pipeline;

/// <summary>
/// Runs every stage once before the first customer waits: the first run of an ONNX Runtime session allocates its
/// buffers for the input shape, and the first JPEG or PNG decode compiles the decoder. Without the decode, the first
/// verify after start took about 500 ms against about 25 ms for the rest.
/// </summary>
internal static class PipelineWarmUp
{
    /// <summary>A kiosk camera frame's size, so the detector's buffers are allocated for the shape it will see.</summary>
    private const int Width = 640;
    private const int Height = 480;

    public static void Run(FacePipeline pipeline)
    {
        using var frame = new Image<Rgb24>(Width, Height);
        frame.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(x * 255 / Width), (byte)(y * 255 / Height), (byte)((x + y) & 0xFF));
                }
            }
        });

        Decode(pipeline.Decoder, frame, new PngEncoder()).Dispose();
        using var image = Decode(pipeline.Decoder, frame, new JpegEncoder { Quality = 85 });
        pipeline.Detector.Detect(image.Image);

        // A face-sized box with ArcFace-like landmark proportions: the later stages run on it as on a real face.
        var face = new DetectedFace(new FaceBox(250, 140, 140, 180),
            [new(285, 215), new(355, 215), new(320, 250), new(292, 285), new(348, 285)], 1f);
        FaceSelector.Select([face], pipeline.Options.Selection);
        foreach (var embedder in pipeline.LegacyEmbedders.Prepend(pipeline.Embedder))
        {
            pipeline.Analyze(image, face, embedder, Stopwatch.StartNew(), 0);
        }
    }

    private static DecodedImage Decode(ImageDecoder decoder, Image<Rgb24> frame, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var encoded = new MemoryStream();
        frame.Save(encoded, encoder);
        return decoder.Decode(encoded.ToArray());
    }
}
