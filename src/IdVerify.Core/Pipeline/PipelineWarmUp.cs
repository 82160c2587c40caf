using System.Diagnostics;
using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using IdVerify.Core.Matching;
using IdVerify.Core.Quality;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Pipeline;

/// <summary>
/// Runs every stage once before the first customer waits: the first JPEG or PNG decode (and EXIF rotation) compiles
/// the decoder, the first large photo compiles the filtered resize, and ONNX Runtime plans the detector's buffers
/// per input shape, so each common frame shape is run once. Without this the first verify after start took about
/// 500 ms; with the kiosk frame alone, a first 910×1137 photo still spent 75 ms detecting against 14 ms after.
/// </summary>
internal static class PipelineWarmUp
{
    /// <summary>A kiosk camera frame's size.</summary>
    private const int Width = 640;
    private const int Height = 480;

    /// <summary>Other common capture sizes (4:3 photos, 16:9 and 9:16 kiosk cameras) whose detector input shapes differ.</summary>
    private static readonly (int Width, int Height)[] OtherShapes = [(1280, 960), (960, 1280), (1920, 1080), (1080, 1920)];

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

        // Every detector session plans each input shape once, here rather than on a customer's request.
        void DetectWithEach(Image<Rgb24> shape)
        {
            foreach (var detector in pipeline.Detectors)
            {
                detector.Detect(shape);
            }
        }

        Decode(pipeline.Decoder, frame, new PngEncoder()).Dispose();
        using var image = Decode(pipeline.Decoder, frame, new JpegEncoder { Quality = 85 });
        DetectWithEach(image.Image);

        // A phone photo held upright: EXIF orientation 6, decoded (and rotated) to portrait.
        frame.Metadata.ExifProfile = new ExifProfile();
        frame.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using (var rotated = Decode(pipeline.Decoder, frame, new JpegEncoder { Quality = 85 }))
        {
            DetectWithEach(rotated.Image);
        }

        foreach (var (width, height) in OtherShapes)
        {
            using var other = new Image<Rgb24>(width, height);
            DetectWithEach(other);
        }

        // A face-sized box with ArcFace-like landmark proportions: the later stages run on it as on a real face.
        var face = new DetectedFace(new FaceBox(250, 140, 140, 180),
            [new(285, 215), new(355, 215), new(320, 250), new(292, 285), new(348, 285)], 1f);
        FaceSelector.Select([face], pipeline.Options.Selection, image.Width, image.Height);
        foreach (var eyes in pipeline.EyeSessions)
        {
            eyes.Detect(image.Image, face.Box);
        }

        foreach (var embedder in pipeline.LegacyEmbedders.Prepend(pipeline.Embedder))
        {
            var analysis = pipeline.Analyze(image, face, embedder, Stopwatch.StartNew(), 0);

            // What a decision runs on the analysis: scoring (the first call cost 5 ms) and the quality check.
            foreach (var aggregation in Enum.GetValues<TemplateAggregation>())
            {
                TemplateScorer.Score(aggregation, [analysis.Embedding], analysis.Embedding);
            }

            FaceQualityAssessor.Check(analysis.Quality, new QualityBounds());
        }
    }

    private static DecodedImage Decode(ImageDecoder decoder, Image<Rgb24> frame, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var encoded = new MemoryStream();
        frame.Save(encoded, encoder);
        return decoder.Decode(encoded.ToArray());
    }
}
