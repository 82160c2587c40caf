using IdVerify.Core.Quality;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

/// <summary>Real photos made worse by real operations, and real posed photos, against the quality bounds.</summary>
[Collection(PipelineCollection.Name)]
public sealed class FaceQualityTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private const string Portrait = "debian/grace_hopper_512x512.jpg";

    private QualityValues Measure(byte[] photo)
    {
        var values = fixture.Pipeline.Analyze(photo).Quality;
        output.WriteLine(values.ToString());
        return values;
    }

    private static byte[] Degrade(string photo, Action<IImageProcessingContext> operation)
    {
        using var image = Image.Load<Rgb24>(TestData.Read(photo));
        image.Mutate(operation);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static IReadOnlyList<string> Issues(QualityValues values, QualityBounds bounds) => FaceQualityAssessor.Check(values, bounds).Issues;

    [Fact]
    public void A_clean_frontal_portrait_passes_enrollment_bounds()
    {
        var report = FaceQualityAssessor.Check(Measure(TestData.Read(Portrait)), QualityBounds.Enrollment);
        Assert.True(report.Passed, string.Join(",", report.Issues));
    }

    [Fact]
    public void Gaussian_blur_is_too_blurry()
    {
        var values = Measure(Degrade(Portrait, x => x.GaussianBlur(6)));
        Assert.Contains(QualityIssues.TooBlurry, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void A_small_flat_webcam_like_face_passes_enrollment_sharpness()
    {
        var eyes = Measure(TestData.Read(Portrait)).InterEyeDistance;
        // Scaled to 50 px between the eyes, contrast halved: a dim 640×480 webcam frame of a still face.
        var values = Measure(Degrade(Portrait, x => x.Resize((int)(512 * 50 / eyes), 0).Contrast(0.5f)));

        Assert.InRange(values.InterEyeDistance, 45, 55);
        Assert.DoesNotContain(QualityIssues.TooBlurry, Issues(values, QualityBounds.Enrollment));
    }

    [Theory]
    [InlineData(Portrait)]
    [InlineData("face_recognition/examples/knn_examples/train/obama/obama.jpg")]
    public void A_face_blurred_at_its_own_scale_is_too_blurry_whatever_its_resolution(string photo)
    {
        var eyes = Measure(TestData.Read(photo)).InterEyeDistance;
        // σ of 2 px on the aligned face (35 px between the eyes there), whatever the photo's size.
        var values = Measure(Degrade(photo, x => x.GaussianBlur(2 * eyes / 35)));

        Assert.Contains(QualityIssues.TooBlurry, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void Darkening_is_too_dark()
    {
        var values = Measure(Degrade(Portrait, x => x.Brightness(0.12f)));
        Assert.Contains(QualityIssues.TooDark, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void Overbrightening_clips_the_face()
    {
        var values = Measure(Degrade(Portrait, x => x.Brightness(3f)));
        Assert.Contains(QualityIssues.ExposureClipped, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void Downscaling_leaves_too_few_pixels_between_the_eyes()
    {
        var values = Measure(Degrade(Portrait, x => x.Resize(100, 100)));
        Assert.Contains(QualityIssues.TooSmall, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void Mild_degradation_passes_verification_but_not_enrollment()
    {
        var values = Measure(Degrade(Portrait, x => x.Resize(160, 160)));
        Assert.Empty(Issues(values, new QualityBounds()));
        Assert.Contains(QualityIssues.TooSmall, Issues(values, QualityBounds.Enrollment));
    }

    [Fact]
    public void Rotation_raises_roll_and_fails_enrollment_pose()
    {
        var upright = Measure(TestData.Read(Portrait));
        var rotated = Measure(Degrade(Portrait, x => x.Rotate(35)));
        // A 35° rotation reads 43° with RetinaFace's landmarks (28° with YuNet's at 480 px).
        Assert.InRange(rotated.Roll - upright.Roll, 25, 50);
        Assert.Contains(QualityIssues.PoseTooLarge, Issues(rotated, QualityBounds.Enrollment));
    }

    [Theory]
    [InlineData("insightface/test_res/data/pose/left_face.jpeg", -1)]
    [InlineData("insightface/test_res/data/pose/right_face.png", 1)]
    public void Turned_heads_read_as_large_yaw_with_the_right_sign(string photo, int side)
    {
        var values = Measure(TestData.Read(photo));
        Assert.True(values.Yaw * side > 40, $"yaw {values.Yaw}");
        Assert.Contains(QualityIssues.PoseTooLarge, Issues(values, new QualityBounds()));
    }

    [Fact]
    public void A_tight_crop_is_cut_by_the_frame_and_refused_for_enrollment()
    {
        var values = Measure(TestData.Read("face-api.js/examples/images/sheldon/sheldon1.png"));
        Assert.True(values.CutByFrame);
        Assert.Contains(QualityIssues.FaceCutOff, Issues(values, QualityBounds.Enrollment));
        Assert.DoesNotContain(QualityIssues.FaceCutOff, Issues(values, new QualityBounds()));
    }
}
