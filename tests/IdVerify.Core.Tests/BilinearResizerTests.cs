using IdVerify.Core.Imaging;
using IdVerify.Tests;
using OpenCvSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

public sealed class BilinearResizerTests(ITestOutputHelper output)
{
    // 2× (the detector's 320 px input, no source row shared), 4/3 (consecutive rows share one), and odd sizes.
    [Theory]
    [InlineData(320, 240)]
    [InlineData(480, 360)]
    [InlineData(333, 201)]
    public void Resizer_matches_OpenCV_linear_resize_on_a_real_frame(int width, int height)
    {
        using var photo = new ImageDecoder(new ImageLimits()).Decode(TestData.Read("azure_face_samples/Family1-Dad1.jpg"));
        using var cropped = photo.Image.Clone(x => x.Resize(640, 480));
        var pixels = PixelTensor.PixelsOf(cropped).ToArray();

        var ours = new Rgb24[width * height];
        BilinearResizer.Resize(pixels, 640, 480, ours, width, height);

        using var source = Mat.FromPixelData(480, 640, MatType.CV_8UC3, pixels);
        using var theirs = new Mat();
        Cv2.Resize(source, theirs, new Size(width, height), interpolation: InterpolationFlags.Linear);
        var differences = PixelDifferences.Between(ours, PixelDifferences.PixelsOf(theirs));
        output.WriteLine($"{width}x{height}: mean {differences.Average():F3}, max {differences.Max()} levels");

        // OpenCV weights with 11 bits, this resizer with 8: a level apart at most.
        Assert.True(differences.Average() < 0.2, $"mean difference {differences.Average():F3} levels");
        Assert.True(differences.Max() <= 1, $"largest difference {differences.Max()} levels");
    }

    // Every weight a half: the detector's 320 px input from a 640×480 or 1280×960 frame, halvings whose rows end in a
    // part of the 8 pixels the vector path takes a step, and the smallest such images.
    [Theory]
    [InlineData(640, 480, 320, 240)]
    [InlineData(1280, 960, 320, 240)]
    [InlineData(646, 6, 323, 3)]
    [InlineData(42, 10, 21, 5)]
    [InlineData(30, 2, 15, 1)]
    [InlineData(6, 4, 3, 2)]
    [InlineData(2, 2, 1, 1)]
    public void Even_scales_give_the_filters_bytes(int width, int height, int outputWidth, int outputHeight)
    {
        var random = new Random(width + height);
        var pixels = new Rgb24[width * height];
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()));

        var quads = new Rgb24[outputWidth * outputHeight];
        BilinearResizer.Resize(pixels, width, height, quads, outputWidth, outputHeight);
        var filtered = new Rgb24[outputWidth * outputHeight];
        BilinearResizer.Filter(pixels, width, filtered, outputWidth, outputHeight, BilinearResizer.Table(width, outputWidth),
            BilinearResizer.Table(height, outputHeight));

        Assert.Equal(filtered, quads);
    }
}
