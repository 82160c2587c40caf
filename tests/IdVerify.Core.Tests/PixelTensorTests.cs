using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Tests;

public sealed class PixelTensorTests
{
    // The shipped models' normalisations: YuNet (BGR, raw), the embedder and PFLD-68, the MiniFASNets, and an odd one.
    [Theory]
    [InlineData("BGR", 0f, 1f)]
    [InlineData("RGB", 127.5f, 1f / 127.5f)]
    [InlineData("RGB", 0f, 1f / 255f)]
    [InlineData("BGR", 104.3f, 0.0172f)]
    public void Rows_fill_each_plane_with_the_pixel_value_less_mean_times_scale_and_nothing_else(string order, float mean, float scale)
    {
        var input = new ModelInput("input", "NCHW", 0, 0, order, mean, scale, null);
        var random = new Random(11);
        int[] widths = [.. Enumerable.Range(0, 70), 112, 319, 320, 481, 640];
        foreach (var width in widths)
        {
            var row = new Rgb24[width];
            for (var x = 0; x < width; x++)
            {
                row[x] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }

            // The row lands mid-plane, between values that must stay as they were.
            var offset = random.Next(0, 7);
            var planeSize = offset + width + random.Next(0, 7);
            var tensor = new float[3 * planeSize];
            Array.Fill(tensor, float.NaN);
            PixelTensor.WriteRow(row, tensor, planeSize, offset, input);

            var bgr = order == "BGR";
            for (var i = 0; i < tensor.Length; i++)
            {
                var (plane, x) = (i / planeSize, (i % planeSize) - offset);
                if (x < 0 || x >= width)
                {
                    Assert.True(float.IsNaN(tensor[i]), $"width {width}: plane {plane} written at {x + offset}, outside the row");
                    continue;
                }

                var p = row[x];
                var value = plane switch { 0 => bgr ? p.B : p.R, 1 => p.G, _ => bgr ? p.R : p.B };
                Assert.Equal((value - mean) * scale, tensor[i]);
            }
        }
    }
}
