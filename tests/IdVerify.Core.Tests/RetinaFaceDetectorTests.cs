using IdVerify.Core.Detection;
using IdVerify.Core.Models;
using IdVerify.Tests;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

/// <summary>The RetinaFace decoder on real photos, held against SCRFD (another family trained on WIDER FACE) as the reference.</summary>
[Collection(PipelineCollection.Name)]
public sealed class RetinaFaceDetectorTests(PipelineFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Portraits => new()
    {
        "azure_face_samples/Family1-Dad1.jpg",
        "debian/grace_hopper_512x512.jpg",
        "debian/astronaut.png",
        "insightface/data/images/t1.jpg",
        "face_recognition/examples/obama.jpg",
        "openface/images/examples/clapton-1.jpg",
    };

    [Theory]
    [MemberData(nameof(Portraits))]
    public async Task Finds_the_faces_SCRFD_finds_with_boxes_and_five_landmarks_in_the_same_places(string photo)
    {
        using var image = Image.Load<Rgb24>(TestData.Read(photo));
        image.Mutate(x => x.AutoOrient());
        using var retina = await Open("retinaface-mnet025");
        using var scrfd = await Open("scrfd-500m-kps");

        var ours = retina.Detect(image).OrderByDescending(f => f.Box.Area).ToList();
        var reference = scrfd.Detect(image).OrderByDescending(f => f.Box.Area).ToList();

        Assert.NotEmpty(ours);
        var face = ours[0];
        var expected = reference[0];
        var eyes = expected.InterEyeDistance;
        var distances = face.Landmarks.Zip(expected.Landmarks, (a, b) => MathF.Sqrt(MathF.Pow(a.X - b.X, 2) + MathF.Pow(a.Y - b.Y, 2))).ToList();
        var worst = distances.Max();
        output.WriteLine($"{photo}: {ours.Count} faces (SCRFD {reference.Count}); IoU {face.Box.IntersectionOverUnion(expected.Box):F2}; landmarks {string.Join(" ", distances.Select(d => d.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} px apart, {eyes:F0} px between the eyes");
        Assert.True(face.Box.IntersectionOverUnion(expected.Box) > 0.6, "boxes overlap");
        // Eyes and nose agree closely; the two models place a smiling mouth's corners differently (Grace Hopper: 15 of 80 px).
        Assert.True(distances.Take(3).Max() < 0.12f * eyes, $"an eye or the nose is {distances.Take(3).Max():F1} px from SCRFD's ({eyes:F0} px between the eyes)");
        Assert.True(worst < 0.2f * eyes, $"a mouth corner is {worst:F1} px from SCRFD's ({eyes:F0} px between the eyes)");
        // Image-left eye first, then the image-right eye, nose, left and right mouth corners (the ArcFace template's order).
        Assert.True(face.Landmarks[0].X < face.Landmarks[1].X && face.Landmarks[3].X < face.Landmarks[4].X);
        Assert.True(face.Landmarks[2].Y > face.Landmarks[0].Y && face.Landmarks[3].Y > face.Landmarks[2].Y);
    }

    [Fact]
    public async Task Model_without_RetinaFace_outputs_is_refused()
    {
        var yunet = fixture.Manifest.Get("yunet-2026may", ModelRoles.Detector);
        var path = await TestData.ModelFileAsync(yunet.Id);
        using var sessionOptions = new SessionOptions();

        var error = Assert.Throws<IdVerifyException>(() => new RetinaFaceDetector(yunet with { Family = "retinaface" }, path, new DetectorOptions(), sessionOptions));

        Assert.Equal(ErrorCodes.ModelUnavailable, error.Code);
    }

    private async Task<IFaceDetector> Open(string id)
    {
        var entry = fixture.Manifest.Get(id, ModelRoles.Detector);
        var path = await TestData.ModelFileAsync(id);
        using var sessionOptions = new SessionOptions();
        return Pipeline.FaceModelFactory.CreateDetector(entry, path, new DetectorOptions(), sessionOptions);
    }
}
