using BenchmarkDotNet.Attributes;
using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;
using IdVerify.Core.Imaging;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Benchmarks;

/// <summary>The pipeline's own code between the model runs, on a real 640×480 kiosk-like frame.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly ImageDecoder decoder = new(new ImageLimits());
    private readonly ImageDecoder fullDecoder = new(new ImageLimits { ReducedDecodeSide = 0 });
    private byte[] jpeg = [];
    private byte[] phoneJpeg = [];
    private DecodedImage frame = null!;
    private Rgb24[] small = [];
    private Rgb24[] half = [];
    private float[] tensor = [];
    private ModelInput yunetInput = null!;
    private Point2[] landmarks = [];
    private float[][] gallery = [];
    private float[] probe = [];
    private float[] cls = [], obj = [], bbox = [], kps = [];

    [GlobalSetup]
    public void Setup()
    {
        using var image = Image.Load<Rgb24>(TestData.Read("face_recognition/examples/obama.jpg"));
        image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(640, 480), Mode = ResizeMode.Crop }));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        jpeg = stream.ToArray();
        using var phone = Image.Load<Rgb24>(TestData.Read("face_recognition/examples/obama.jpg"));
        phone.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(4000, 3000), Mode = ResizeMode.Crop }));
        using var phoneStream = new MemoryStream();
        phone.SaveAsJpeg(phoneStream);
        phoneJpeg = phoneStream.ToArray();
        frame = decoder.Decode(jpeg);
        small = new Rgb24[480 * 360];
        half = new Rgb24[320 * 240];
        tensor = new float[3 * 480 * 384];
        yunetInput = ModelManifest.Load(TestData.Models.ManifestPath).Get("yunet-2026may", ModelRoles.Detector).Input;
        landmarks = [new(250, 200), new(330, 198), new(290, 245), new(258, 290), new(322, 288)];

        var random = new Random(7);
        float[] Unit() => TemplateScorer.MeanEmbedding([Enumerable.Range(0, 128).Select(_ => random.NextSingle() - 0.5f).ToArray()]);
        gallery = Enumerable.Range(0, 10_000).Select(_ => Unit()).ToArray();
        probe = Unit();

        // YuNet's stride-8 head at 480×384: 60×48 cells, a few of them confident.
        var cells = 60 * 48;
        cls = new float[cells];
        obj = new float[cells];
        bbox = new float[cells * 4];
        kps = new float[cells * 10];
        for (var i = 0; i < cells; i++)
        {
            cls[i] = i % 97 == 0 ? 0.95f : random.NextSingle() * 0.3f;
            obj[i] = i % 97 == 0 ? 0.9f : random.NextSingle() * 0.3f;
            bbox[(4 * i) + 2] = 2.5f;
            bbox[(4 * i) + 3] = 2.7f;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => frame.Dispose();

    [Benchmark]
    public void Decode_640x480_jpeg()
    {
        using var image = decoder.Decode(jpeg);
    }

    /// <summary>A 12 MP phone photo at enrollment: decoded at 1/4 (1000×750) by the reduced decode.</summary>
    [Benchmark]
    public void Decode_4000x3000_jpeg_reduced()
    {
        using var image = decoder.Decode(phoneJpeg);
    }

    [Benchmark]
    public void Decode_4000x3000_jpeg_in_full()
    {
        using var image = fullDecoder.Decode(phoneJpeg);
    }

    [Benchmark]
    public void Resize_frame_for_detection() =>
        BilinearResizer.Resize(PixelTensor.PixelsOf(frame.Image).Span, 640, 480, small, 480, 360);

    /// <summary>YuNet's 320 px input from a 640×480 frame: every weight a half, each output pixel its source quad's mean.</summary>
    [Benchmark]
    public void Resize_frame_to_half() =>
        BilinearResizer.Resize(PixelTensor.PixelsOf(frame.Image).Span, 640, 480, half, 320, 240);

    [Benchmark]
    public void Fill_detector_tensor()
    {
        for (var y = 0; y < 360; y++)
        {
            PixelTensor.WriteRow(small.AsSpan(y * 480, 480), tensor, 480 * 384, y * 480, yunetInput);
        }
    }

    [Benchmark]
    public AlignedFace Align_to_arcface_template() => FaceAligner.Align(frame.Image, landmarks);

    [Benchmark]
    public int Decode_yunet_head_and_nms()
    {
        var faces = new List<DetectedFace>();
        YuNetDetector.Decode(new DetectorOptions(), 8, 60, 48, cls, obj, bbox, kps, 0.75f, faces);
        return NonMaximumSuppression.Apply(faces, 0.3f, 5000).Count;
    }

    [Benchmark]
    public float Cosine_over_10000_templates()
    {
        var best = float.MinValue;
        foreach (var template in gallery)
        {
            best = Math.Max(best, Similarity.Cosine(template, probe));
        }

        return best;
    }
}
