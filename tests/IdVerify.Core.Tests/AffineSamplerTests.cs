using System.Numerics;
using IdVerify.Core.Imaging;
using IdVerify.Tests;
using OpenCvSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

public sealed class AffineSamplerTests(ITestOutputHelper output)
{
    private readonly ImageDecoder decoder = new(new ImageLimits());

    public static TheoryData<bool> BorderModes => new() { true, false };

    [Theory]
    [MemberData(nameof(BorderModes))]
    public void Sampler_matches_OpenCV_warpAffine_on_a_real_photo_inside_and_across_its_edge(bool replicateBorder)
    {
        using var photo = decoder.Decode(TestData.Read("azure_face_samples/Family1-Dad1.jpg"));
        var (width, height) = (photo.Width, photo.Height);
        var pixels = PixelTensor.PixelsOf(photo.Image).ToArray();
        using var source = Mat.FromPixelData(height, width, MatType.CV_8UC3, pixels);

        // A rotated, scaled crop of the middle, and one hanging over the top-left corner.
        foreach (var outputToSource in new[]
        {
            Matrix3x2.CreateScale(1.7f) * Matrix3x2.CreateRotation(0.3f) * Matrix3x2.CreateTranslation(width / 3f, height / 3f),
            Matrix3x2.CreateScale(2.3f) * Matrix3x2.CreateRotation(-0.2f) * Matrix3x2.CreateTranslation(-60, -40),
        })
        {
            var ours = new Rgb24[112 * 112];
            AffineSampler.Sample(pixels, width, height, outputToSource, ours, 112, 112, replicateBorder);

            using var map = Mat.FromPixelData(2, 3, MatType.CV_32FC1,
                new[] { outputToSource.M11, outputToSource.M21, outputToSource.M31, outputToSource.M12, outputToSource.M22, outputToSource.M32 });
            using var theirs = new Mat();
            Cv2.WarpAffine(source, theirs, map, new Size(112, 112), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap,
                replicateBorder ? BorderTypes.Replicate : BorderTypes.Constant, Scalar.All(0));
            var differences = PixelDifferences.Between(ours, PixelDifferences.PixelsOf(theirs));
            output.WriteLine($"mean {differences.Average():F3}, max {differences.Max()} levels");

            // OpenCV rounds the sample position to 1/32 pixel and the weights to 15 bits; the arithmetic is otherwise the same.
            Assert.True(differences.Average() < 0.25, $"mean difference {differences.Average():F3} levels");
            Assert.True(differences.Max() <= 6, $"largest difference {differences.Max()} levels");
        }
    }

    [Fact]
    public void Sampler_reads_images_of_one_or_two_rows_within_their_bounds()
    {
        var one = new[] { new Rgb24(10, 20, 30) };
        var output = new Rgb24[4 * 4];
        AffineSampler.Sample(one, 1, 1, Matrix3x2.CreateScale(0.25f), output, 4, 4, replicateBorder: true);
        Assert.All(output, p => Assert.Equal(one[0], p));

        // Two rows, two columns: the middle of the image is the mean of its four pixels.
        var four = new[] { new Rgb24(0, 0, 0), new Rgb24(100, 0, 0), new Rgb24(0, 100, 0), new Rgb24(100, 100, 200) };
        var middle = new Rgb24[1];
        AffineSampler.Sample(four, 2, 2, Matrix3x2.CreateTranslation(0.5f, 0.5f), middle, 1, 1, replicateBorder: false);
        Assert.Equal(new Rgb24(50, 50, 50), middle[0]);
    }
}
