using IdVerify.Core.Imaging;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
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

    /// <summary>Mean absolute difference per channel, in levels, of two images of the same size.</summary>
    private static double MeanDifference(Image<Rgb24> first, Image<Rgb24> second) =>
        PixelDifferences.Between(PixelDifferences.PixelsOf(first), PixelDifferences.PixelsOf(second)).Average();

    /// <summary>A real photo blown up to a 12 MP phone photo's size (4000×3000), optionally with an EXIF orientation.</summary>
    private static byte[] PhonePhoto(ushort? orientation = null)
    {
        using var image = Image.Load<Rgb24>(TestData.Read("face_recognition/examples/knn_examples/test/alex_lacamoire1.jpg"));
        image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(4000, 3000), Mode = ResizeMode.Crop }));
        if (orientation is { } value)
        {
            image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
            image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, value);
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 92 });
        return stream.ToArray();
    }

    [Fact]
    public void Decodes_a_12_megapixel_jpeg_at_a_quarter_size_that_matches_the_full_decode_shrunk()
    {
        var bytes = PhonePhoto();
        using var decoded = decoder.Decode(bytes);
        using var full = Image.Load<Rgb24>(bytes);
        full.Mutate(x => x.Resize(decoded.Width, decoded.Height, KnownResamplers.Box));

        Assert.Equal((1000, 750), (decoded.Width, decoded.Height));
        var mean = MeanDifference(full, decoded.Image);
        Assert.True(mean < 2.0, $"mean difference {mean:F2} levels from the full decode shrunk with a box filter");
    }

    [Fact]
    public void A_reduced_decode_applies_the_exif_orientation_and_every_photo_decodes_in_full_with_the_reduction_off()
    {
        var bytes = PhonePhoto(orientation: 6);

        using var upright = decoder.Decode(bytes);
        using var whole = new ImageDecoder(new ImageLimits { ReducedDecodeSide = 0 }).Decode(bytes);

        Assert.Equal((750, 1000), (upright.Width, upright.Height));
        Assert.Equal((3000, 4000), (whole.Width, whole.Height));
    }

    [Theory]
    [InlineData(1999, 1000, 1)]
    [InlineData(2000, 1000, 2)]
    [InlineData(4032, 1000, 4)]
    [InlineData(8000, 1000, 8)]
    [InlineData(8000, 0, 1)]
    public void The_reduction_keeps_the_long_side_at_least_the_configured_one(int longSide, int side, int denominator) =>
        Assert.Equal(denominator, ImageDecoder.ReductionOf(longSide, side));

    [Fact]
    public void A_tiny_jpeg_claiming_a_large_size_gets_the_same_answer_from_the_reduced_decode_as_from_the_full_one()
    {
        // 3.8 MP claimed over 16×16 pixels of data: under the bomb check's floor, so both decoders get to read it.
        var bytes = HostileImages.JpegClaiming(2000, 1900);
        string Outcome(ImageDecoder d)
        {
            try
            {
                using var image = d.Decode(bytes);
                return $"decoded, {image.Height / (double)image.Width:F3} high per wide";
            }
            catch (ImageDecodeException error)
            {
                return error.Code;
            }
        }

        Assert.Equal(Outcome(new ImageDecoder(new ImageLimits { ReducedDecodeSide = 0 })), Outcome(decoder));
    }

    [Fact]
    public void Jpeg_decodes_through_libjpeg_turbo_within_a_level_of_ImageSharp_in_full_and_reduced()
    {
        // .ci/run installs libturbojpeg0 (README prerequisites); the service falls back to ImageSharp without it.
        Assert.Equal("libjpeg-turbo", decoder.JpegDecoder);
        var managed = new ImageDecoder(new ImageLimits { TurboJpeg = false });
        Assert.Equal("ImageSharp", managed.JpegDecoder);

        foreach (var bytes in new[] { TestData.Read(Portrait), TestData.Read("silent_face_anti_spoofing/image_T1.jpg"), PhonePhoto(orientation: 6) })
        {
            using var turbo = decoder.Decode(bytes);
            using var reference = managed.Decode(bytes);

            Assert.Equal((reference.Width, reference.Height), (turbo.Width, turbo.Height));
            var mean = MeanDifference(turbo.Image, reference.Image);
            Assert.True(mean < 1.5, $"mean difference {mean:F2} levels between libjpeg-turbo and ImageSharp");
        }
    }

    [Fact]
    public void Rejects_a_jpeg_whose_scan_data_is_corrupt_as_unreadable_instead_of_decoding_grey()
    {
        var bytes = TestData.Read(Portrait);
        ReadOnlySpan<byte> startOfScan = [0xFF, 0xDA];
        var scan = bytes.AsSpan().LastIndexOf(startOfScan);
        var corrupt = (byte[])bytes.Clone();
        // A run of restart markers in the middle of the entropy-coded data: the structure walk still sees a whole file.
        for (var i = scan + ((bytes.Length - scan) / 2); i < scan + ((bytes.Length - scan) / 2) + 64; i += 2)
        {
            (corrupt[i], corrupt[i + 1]) = (0xFF, 0xD0);
        }

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(corrupt));

        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
        Assert.DoesNotContain("TurboJPEG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_truncated_12_megapixel_jpeg_before_the_reduced_decode()
    {
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(BadImages.Truncated(PhonePhoto())));
        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
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

    public static TheoryData<string> TruncatableFormats => new() { "PNG", "WEBP", "WEBP-LOSSLESS", "GIF", "BMP" };

    [Theory]
    [MemberData(nameof(TruncatableFormats))]
    public void Rejects_a_truncated_png_webp_gif_or_bmp_as_unreadable(string format)
    {
        // ImageSharp fills what is missing with grey; half a real photo still had a face, and a WebP cut in half verified.
        var whole = Encode(format switch
        {
            "PNG" => new PngEncoder(),
            "WEBP" => new WebpEncoder(),
            "WEBP-LOSSLESS" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            "GIF" => new GifEncoder(),
            _ => new BmpEncoder(),
        });
        decoder.Decode(whole).Dispose();

        foreach (var fraction in new[] { 0.5, 0.9 })
        {
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(HostileImages.Cut(whole, fraction)));
            Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Rejects_a_bmp_without_a_bit_depth_as_unreadable()
    {
        // 154 bytes, biBitCount 0: ImageSharp's palette reader divided by zero (a 500 through HTTP).
        foreach (var bmp in new[] { HostileImages.BmpWithoutBitDepth(), HostileImages.BmpWithByte(28, 0), HostileImages.BmpWithByte(29, 0xFF) })
        {
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bmp));
            Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
        }
    }

    [Theory]
    [InlineData("VP8 ", false)]
    [InlineData("VP8L", true)]
    [InlineData("EXIF", false)]
    [InlineData("XMP ", false)]
    public void Rejects_a_webp_chunk_larger_than_the_file_as_unreadable(string chunk, bool lossless)
    {
        // 0x7FFFFFF0: a NullReferenceException for the image chunks, a 2 GB allocation (OutOfMemoryException) for metadata.
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(HostileImages.WebpWithChunkSize(chunk, 0x7FFFFFF0, lossless)));
        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
    }

    /// <summary>A segment marker, and the low byte of its length: changed by <c>+n</c> / <c>-n</c>, or set to <c>=n</c>.</summary>
    public static TheoryData<byte, string> JpegSegmentMutants => new()
    {
        { 0xE1, "-2" }, { 0xE1, "=0" }, { 0xED, "=0" }, { 0xED, "=2" }, { 0xE2, "+1" }, { 0xE2, "+3" }, { 0xEE, "-3" }, { 0xEE, "+1" },
    };

    [Theory]
    [MemberData(nameof(JpegSegmentMutants))]
    public void Rejects_a_real_jpeg_with_a_segment_length_changed_as_unreadable(byte marker, string change)
    {
        // One byte of a real photo's APP1 (EXIF), APP13, APP2 (ICC) or APP14 length: a NullReferenceException in Identify.
        var n = int.Parse(change[1..], System.Globalization.CultureInfo.InvariantCulture);
        var mutant = HostileImages.JpegWithSegmentLength(TestData.Read("azure_face_samples/Family1-Dad2.jpg"), marker,
            b => (byte)(change[0] switch { '+' => b + n, '-' => b - n, _ => n }));
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(mutant));
        Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
        Assert.DoesNotContain("Object reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_exif_ifd_loop_as_unreadable_without_the_parsers_message()
    {
        foreach (var jpeg in new[] { HostileImages.ExifIfdLoop(), HostileImages.ExifGpsLoop() })
        {
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(jpeg));
            Assert.Equal(ErrorCodes.ImageUnreadable, error.Code);
            Assert.Equal("The JPEG's EXIF metadata is corrupt.", error.Message);
        }
    }

    [Theory]
    [InlineData((ushort)0)]
    [InlineData((ushort)9)]
    [InlineData((ushort)255)]
    public void Ignores_an_exif_orientation_outside_1_to_8(ushort orientation)
    {
        using var decoded = decoder.Decode(HostileImages.ExifOrientation(orientation));
        Assert.Equal((160, 120), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Rejects_a_small_file_declaring_a_huge_canvas_before_allocating_it()
    {
        // Each is within the 40 MP limit, and each decoded to +100-170 MB from a file of a few bytes.
        var bombs = new[]
        {
            BadImages.PixelBomb(6000, 6600), HostileImages.Gif(6000, 6600, 1, 6000, 6600), HostileImages.RleBmpClaiming(6000, 6600),
            HostileImages.JpegClaiming(6000, 6600), HostileImages.Blank(2400, 2000),
        };
        foreach (var bomb in bombs)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bomb));
            Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
            Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "refused before any pixel buffer");
        }
    }

    [Fact]
    public void Rejects_a_gif_with_more_frames_than_the_limit_quickly()
    {
        decoder.Decode(HostileImages.Gif(1, 1, frames: 100)).Dispose();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var frames in new[] { 101, 100_000 })
        {
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(HostileImages.Gif(1, 1, frames)));
            Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
        }

        Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Decodes_odd_but_valid_images()
    {
        var odd = new[]
        {
            HostileImages.Encode(new JpegEncoder { ColorType = JpegColorType.Cmyk }), HostileImages.Encode(new JpegEncoder { ColorType = JpegColorType.Luminance }),
            HostileImages.Png16(gray: false), HostileImages.Png16(gray: true), HostileImages.Blank(1, 1), HostileImages.Blank(1, 20_000),
            HostileImages.Encode(new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }), HostileImages.JpegThenZip(),
            HostileImages.ExifHugeCount(), HostileImages.ExifNextIfdLoop(), HostileImages.PngWithHtml(), HostileImages.Gif(16, 16, 1, 65535, 65535),
        };
        foreach (var image in odd)
        {
            using var decoded = decoder.Decode(image);
            Assert.True(decoded.Width > 0 && decoded.Height > 0);
        }
    }

    [Fact]
    public void Decode_failures_never_repeat_the_parsers_message()
    {
        var hostile = new[]
        {
            HostileImages.BmpWithoutBitDepth(), HostileImages.WebpWithChunkSize("VP8 ", 0x7FFFFFF0), HostileImages.ExifIfdLoop(),
            HostileImages.JpegWithSegmentLength(HostileImages.JpegWithExifProfile(), 0xE1, b => (byte)(b - 1)), HostileImages.PngWithHugeChunk(),
            HostileImages.GifScript(), HostileImages.PngSignatureThenJpeg(), BadImages.AnimatedWebp(frames: 5),
        };
        foreach (var bytes in hostile)
        {
            var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(bytes));
            Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SixLabors", error.Message, StringComparison.Ordinal);
            if (error.InnerException is { } inner)
            {
                Assert.DoesNotContain(inner.Message, error.Message, StringComparison.Ordinal);
            }
        }
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
