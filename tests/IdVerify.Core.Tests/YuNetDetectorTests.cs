using IdVerify.Core.Detection;
using IdVerify.Core.Models;
using IdVerify.Tests;
using OpenCvSharp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

/// <summary>Our YuNet decoder against OpenCV's own FaceDetectorYN on the same model file and the same pixels.</summary>
[Collection(PipelineCollection.Name)]
public sealed class YuNetDetectorTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private const float Tolerance = 2f;
    private const string YuNetId = "yunet-2026may";

    public static TheoryData<string> Photos => new()
    {
        "azure_face_samples/Family1-Dad1.jpg",
        "azure_face_samples/identification1.jpg",
        "debian/grace_hopper_512x512.jpg",
        "debian/astronaut.png",
        "face-api.js/test/images/faces.jpg",
        "face_recognition/examples/knn_examples/test/obama_and_biden.jpg",
        "npm_vladmandic_face-api/sample1.jpg",
        "insightface/data/images/t1.jpg",
        "openface/images/examples/longoria-cooper.jpg",
    };

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task Boxes_and_landmarks_agree_with_OpenCV_FaceDetectorYN_within_two_pixels(string photo)
    {
        // YuNet is a swap-in now (RetinaFace is the default detector): open it on its own.
        var entry = fixture.Manifest.Get(YuNetId, ModelRoles.Detector);
        var path = await TestData.ModelFileAsync(YuNetId);
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions();
        using var yunet = new YuNetDetector(entry, path, new DetectorOptions(), sessionOptions);
        using var image = Image.Load<Rgb24>(TestData.Read(photo));
        image.Mutate(x => x.AutoOrient());
        // Both detectors get the same pixels: the photo at the size the service detects on.
        var scale = Math.Min(1f, (float)YuNetDetector.DefaultMaxSide / Math.Max(image.Width, image.Height));
        if (scale < 1)
        {
            image.Mutate(x => x.Resize((int)MathF.Round(image.Width * scale), (int)MathF.Round(image.Height * scale)));
        }

        var ours = yunet.Detect(image);
        var reference = DetectWithOpenCv(image, path);
        output.WriteLine($"{photo}: {image.Width}x{image.Height}, ours {ours.Count} faces, OpenCV {reference.Count}");

        Assert.NotEmpty(reference);
        Assert.Equal(reference.Count, ours.Count);
        var worst = 0f;
        foreach (var expected in reference)
        {
            var actual = ours.MinBy(f => Math.Abs(f.Box.CenterX - expected[0] - (expected[2] / 2)) + Math.Abs(f.Box.CenterY - expected[1] - (expected[3] / 2)))!;
            float[] mine = [actual.Box.X, actual.Box.Y, actual.Box.Width, actual.Box.Height, .. actual.Landmarks.SelectMany(p => new[] { p.X, p.Y })];
            for (var i = 0; i < 14; i++)
            {
                worst = Math.Max(worst, Math.Abs(mine[i] - expected[i]));
            }

            Assert.Equal(expected[14], actual.Score, 0.01f);
        }

        output.WriteLine($"largest coordinate difference: {worst:F5} px");
        Assert.True(worst <= Tolerance, $"{photo}: largest difference {worst:F2} px");
    }

    /// <summary>Rows of x, y, w, h, five landmark pairs and the score, as FaceDetectorYN returns them.</summary>
    private static List<float[]> DetectWithOpenCv(Image<Rgb24> image, string modelPath)
    {
        var bgr = new byte[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var o = ((y * image.Width) + x) * 3;
                    (bgr[o], bgr[o + 1], bgr[o + 2]) = (row[x].B, row[x].G, row[x].R);
                }
            }
        });

        var options = new DetectorOptions();
        using var mat = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, bgr);
        using var detector = FaceDetectorYN.Create(modelPath, "", new OpenCvSharp.Size(image.Width, image.Height),
            options.ScoreThreshold, options.NmsThreshold, options.TopK);
        using var faces = new Mat();
        detector.Detect(mat, faces);
        var rows = new List<float[]>();
        var count = faces.Rows;
        for (var r = 0; r < count; r++)
        {
            var row = new float[15];
            for (var c = 0; c < 15; c++)
            {
                row[c] = faces.At<float>(r, c);
            }

            rows.Add(row);
        }

        return rows;
    }
}
