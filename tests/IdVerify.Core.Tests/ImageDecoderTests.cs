using IdVerify.Core.Imaging;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Core.Tests;

public sealed class ImageDecoderTests
{
    private const string Portrait = "azure_face_samples/Family1-Dad1.jpg";
    private readonly ImageDecoder decoder = new(new ImageLimits());

    private static byte[] Encode(SixLabors.ImageSharp.Formats.IImageEncoder encoder, string photo = Portrait)
    {
        using var image = Image.Load<Rgb24>(TestData.Read(photo));
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static TheoryData<string> Formats => new() { "PNG", "WEBP", "BMP", "GIF" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decodes_each_supported_format_of_a_real_photo(string format)
    {
        SixLabors.ImageSharp.Formats.IImageEncoder encoder = format switch
        {
            "PNG" => new PngEncoder(),
            "WEBP" => new WebpEncoder(),
            "BMP" => new BmpEncoder(),
            _ => new GifEncoder(),
        };
        using var jpeg = decoder.Decode(TestData.Read(Portrait));
        using var decoded = decoder.Decode(Encode(encoder));

        Assert.Equal(format, decoded.Format, ignoreCase: true);
        Assert.Equal(jpeg.Width, decoded.Width);
        Assert.Equal(jpeg.Height, decoded.Height);
    }

    [Fact]
    public void Decodes_only_the_first_frame_of_an_animated_gif()
    {
        using var first = new Image<Rgb24>(64, 48, new Rgb24(200, 10, 10));
        using var second = new Image<Rgb24>(64, 48, new Rgb24(10, 200, 10));
        first.Frames.AddFrame(second.Frames.RootFrame);
        using var stream = new MemoryStream();
        first.SaveAsGif(stream);

        using var decoded = decoder.Decode(stream.ToArray());

        Assert.Equal(1, decoded.Image.Frames.Count);
        Assert.True(decoded.Image[10, 10].R > 150);
    }

    [Fact]
    public void Rejects_an_animated_webp_as_unsupported_before_decoding_frames()
    {
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(BadImages.AnimatedWebp(frames: 5)));
        Assert.Equal(ErrorCodes.UnsupportedFormat, error.Code);
        Assert.Contains("Animated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Applies_exif_orientation_so_sideways_captures_come_out_upright()
    {
        // Stored as 640x480 with EXIF "rotate 90"; upright it is 480 wide and 640 high.
        using var raw = Image.Load<Rgb24>(TestData.Read("silent_face_anti_spoofing/image_T1.jpg"));
        using var decoded = decoder.Decode(TestData.Read("silent_face_anti_spoofing/image_T1.jpg"));

        Assert.Equal(640, raw.Width);
        Assert.Equal(480, decoded.Width);
        Assert.Equal(640, decoded.Height);
    }

    [Fact]
    public void Rejects_a_truncated_jpeg_as_unreadable()
    {
        var bytes = TestData.Read(Portrait);
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(BadImages.Truncated(bytes)));
        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_corrupt_png_as_unreadable()
    {
        var bytes = Encode(new PngEncoder());
        for (var i = 100; i < bytes.Length - 20; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bytes));
        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
    }

    [Fact]
    public void Rejects_text_and_tiff_as_unsupported_formats()
    {
        var text = Assert.Throws<ImageDecodeException>(() => decoder.Decode("not an image at all"u8.ToArray()));
        var tiff = Assert.Throws<ImageDecodeException>(() => decoder.Decode(BadImages.AsTiff(TestData.Read(Portrait))));

        Assert.Equal(ErrorCodes.UnsupportedFormat, text.Code);
        Assert.Equal(ErrorCodes.UnsupportedFormat, tiff.Code);
        Assert.Contains("TIFF", tiff.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rejects_too_many_bytes_before_decoding()
    {
        var small = new ImageDecoder(new ImageLimits { MaxBytes = 1000 });
        var error = Assert.Throws<ImageDecodeException>(() => small.Decode(TestData.Read(Portrait)));
        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
    }

    [Fact]
    public void Rejects_a_decompression_bomb_from_its_header()
    {
        var bomb = BadImages.PixelBomb(100_000, 100_000);
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bomb));
        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
        Assert.Contains("100000x100000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Each_exif_orientation_matches_ImageSharp_AutoOrient_pixel_for_pixel(ushort orientation)
    {
        using var photo = Image.Load<Rgb24>(TestData.Read("azure_face_samples/Family1-Dad1.jpg"));
        using var expected = photo.Clone();
        expected.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
        expected.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, orientation);
        expected.Mutate(x => x.AutoOrient());

        using var actual = ImageDecoder.Orient(Configuration.Default, photo, orientation);

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var want = new Rgb24[expected.Width * expected.Height];
        var got = new Rgb24[actual.Width * actual.Height];
        expected.CopyPixelDataTo(want);
        actual.CopyPixelDataTo(got);
        Assert.Equal(want, got);
    }
}
