using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Tests;

/// <summary>
/// Hostile uploads built at test time: synthetic pictures (no face, so a file that decodes answers no_face) through
/// real encoders, then cut, patched or wrapped the way an attacker would. Nothing here is a stored photo.
/// </summary>
public static class HostileImages
{
    /// <summary>Gradients and a checker pattern: texture for the encoders, no face for the detector.</summary>
    public static Image<Rgb24> Pattern(int width = 160, int height = 120)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var check = ((x / 8) + (y / 8)) % 2 == 0 ? 40 : 0;
                    row[x] = new Rgb24((byte)((x * 200 / width) + check), (byte)((y * 200 / height) + check), (byte)(((x ^ y) & 0x7F) + 60));
                }
            }
        });
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Encode(IImageEncoder encoder, int width = 160, int height = 120)
    {
        using var image = Pattern(width, height);
        return Encode(image, encoder);
    }

    public static byte[] Jpeg() => Encode(new JpegEncoder { Quality = 85 });

    public static byte[] Png() => Encode(new PngEncoder());

    public static byte[] Bmp() => Encode(new SixLabors.ImageSharp.Formats.Bmp.BmpEncoder());

    public static byte[] Gif() => Encode(new SixLabors.ImageSharp.Formats.Gif.GifEncoder());

    public static byte[] Webp(bool lossless = false) =>
        Encode(new WebpEncoder { FileFormat = lossless ? WebpFileFormatType.Lossless : WebpFileFormatType.Lossy });

    /// <summary>The first <paramref name="fraction"/> of a file.</summary>
    public static byte[] Cut(byte[] file, double fraction) => file[..(int)(file.Length * fraction)];

    public static byte[] Blank(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(128, 128, 128));
        return Encode(image, new PngEncoder());
    }

    public static byte[] Png16(bool gray)
    {
        using var pattern = Pattern(64, 48);
        return Encode(pattern, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = gray ? PngColorType.Grayscale : PngColorType.Rgb });
    }

    /// <summary>A PNG or JPEG whose header claims <paramref name="width"/>×<paramref name="height"/> over 8×8 pixels of data.</summary>
    public static byte[] JpegClaiming(int width, int height)
    {
        var jpeg = Encode(new JpegEncoder(), 16, 16);
        var sof = Segment(jpeg, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)width);
        return jpeg;
    }

    /// <summary>A lossless WebP whose VP8L header claims the format's largest canvas, 16384×16384.</summary>
    public static byte[] WebpClaimingMaximum()
    {
        var webp = Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, 16, 16);
        var bits = 16383u | (16383u << 14) | (BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(21)) & 0xF0000000u);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(21), bits);
        return webp;
    }

    /// <summary>An RLE8 BMP of one end-of-bitmap code whose header claims <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] RleBmpClaiming(int width, int height)
    {
        var bmp = new byte[14 + 40 + 1024 + 2];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 14 + 40 + 1024);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 8);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(30), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(46), 256);
        bmp[^1] = 1;
        return bmp;
    }

    /// <summary>The attacker's 154-byte BMP: a V5 header with biBitCount 0 (ImageSharp divided by it) and 16 bytes of pixels.</summary>
    public static byte[] BmpWithoutBitDepth()
    {
        var bmp = new byte[154];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 14 + 124);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 124);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        return bmp;
    }

    /// <summary>A real BMP with one header byte replaced (the fuzzer's bit-depth mutants).</summary>
    public static byte[] BmpWithByte(int offset, byte value)
    {
        var bmp = Bmp();
        bmp[offset] = value;
        return bmp;
    }

    /// <summary>
    /// A WebP whose <paramref name="fourCc"/> chunk declares <paramref name="size"/> bytes; with EXIF or XMP the file
    /// carries that metadata (ImageSharp allocated the declared size for it: 2 GB, OutOfMemoryException).
    /// </summary>
    public static byte[] WebpWithChunkSize(string fourCc, uint size, bool lossless = false)
    {
        using var image = Pattern();
        if (fourCc is "EXIF" or "XMP ")
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Software, "hostile");
            image.Metadata.XmpProfile = new SixLabors.ImageSharp.Metadata.Profiles.Xmp.XmpProfile(
                Encoding.UTF8.GetBytes("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"></x:xmpmeta>"));
        }

        var webp = Encode(image, new WebpEncoder { FileFormat = lossless ? WebpFileFormatType.Lossless : WebpFileFormatType.Lossy });
        for (var position = 12; position + 8 <= webp.Length;)
        {
            var chunkSize = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(position + 4));
            if (Encoding.ASCII.GetString(webp, position, 4) == fourCc)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(position + 4), size);
                return webp;
            }

            position += 8 + chunkSize + (chunkSize & 1);
        }

        throw new InvalidOperationException($"The encoder wrote no {fourCc} chunk.");
    }

    /// <summary>A JPEG whose first <paramref name="marker"/> segment has the low byte of its length changed by <paramref name="change"/>.</summary>
    public static byte[] JpegWithSegmentLength(byte[] jpeg, byte marker, Func<byte, byte> change)
    {
        var copy = (byte[])jpeg.Clone();
        var segment = Segment(copy, marker);
        copy[segment + 3] = change(copy[segment + 3]);
        return copy;
    }

    /// <summary>Where the first FF <paramref name="marker"/> segment before the scan starts.</summary>
    private static int Segment(byte[] jpeg, byte marker)
    {
        for (var position = 2; position + 4 <= jpeg.Length && jpeg[position] == 0xFF;)
        {
            if (jpeg[position + 1] == marker)
            {
                return position;
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
        }

        throw new InvalidOperationException($"The JPEG has no FF{marker:X2} segment.");
    }

    /// <summary>A synthetic JPEG carrying an EXIF block (APP0 JFIF and APP1 Exif, as cameras write them).</summary>
    public static byte[] JpegWithExifProfile()
    {
        using var image = Pattern();
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)1);
        image.Metadata.ExifProfile.SetValue(ExifTag.Software, "hostile");
        return Encode(image, new JpegEncoder());
    }

    /// <summary>A little-endian TIFF block of one IFD (each entry's value inline), for hand-made EXIF.</summary>
    public static byte[] Tiff(uint nextIfd, params (ushort Tag, ushort Type, uint Count, uint Value)[] entries)
    {
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8u));
        tiff.AddRange(BitConverter.GetBytes((ushort)entries.Length));
        foreach (var (tag, type, count, value) in entries)
        {
            tiff.AddRange(BitConverter.GetBytes(tag));
            tiff.AddRange(BitConverter.GetBytes(type));
            tiff.AddRange(BitConverter.GetBytes(count));
            tiff.AddRange(BitConverter.GetBytes(value));
        }

        tiff.AddRange(BitConverter.GetBytes(nextIfd));
        return [.. tiff];
    }

    /// <summary>A synthetic JPEG with <paramref name="tiff"/> as its EXIF block (an APP1 segment right after SOI).</summary>
    public static byte[] JpegWithExif(byte[] tiff)
    {
        var plain = Jpeg();
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var length = payload.Length + 2;
        return [.. plain[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. plain[2..]];
    }

    public static byte[] ExifOrientation(ushort value) => JpegWithExif(Tiff(0, (0x0112, 3, 1, value)));

    /// <summary>IFD0's Exif sub-IFD pointer points back at IFD0.</summary>
    public static byte[] ExifIfdLoop() => JpegWithExif(Tiff(0, (0x0112, 3, 1, 1), (0x8769, 4, 1, 8)));

    /// <summary>IFD0's GPS sub-IFD pointer points back at IFD0.</summary>
    public static byte[] ExifGpsLoop() => JpegWithExif(Tiff(0, (0x8825, 4, 1, 8)));

    /// <summary>IFD0 names itself as the next IFD.</summary>
    public static byte[] ExifNextIfdLoop() => JpegWithExif(Tiff(8, (0x0112, 3, 1, 1)));

    /// <summary>An orientation entry that claims two billion values.</summary>
    public static byte[] ExifHugeCount() => JpegWithExif(Tiff(0, (0x0112, 3, 0x7FFFFFFF, 1)));

    /// <summary>
    /// A hand-written GIF: a 2-colour table and <paramref name="frames"/> frames of
    /// <paramref name="frameWidth"/>×<paramref name="frameHeight"/> whose data is one LZW-coded pixel.
    /// </summary>
    public static byte[] Gif(int screenWidth, int screenHeight, int frames, int frameWidth = 1, int frameHeight = 1)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write(BitConverter.GetBytes((ushort)screenWidth));
        gif.Write(BitConverter.GetBytes((ushort)screenHeight));
        gif.Write([0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
        byte[] frame = [0x2C, 0, 0, 0, 0, (byte)frameWidth, (byte)(frameWidth >> 8), (byte)frameHeight, (byte)(frameHeight >> 8), 0, 2, 2, 0x44, 0x01, 0];
        for (var i = 0; i < frames; i++)
        {
            gif.Write(frame);
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    public static byte[] Tiff() => Encode(new SixLabors.ImageSharp.Formats.Tiff.TiffEncoder());

    public static byte[] Tga() => Encode(new SixLabors.ImageSharp.Formats.Tga.TgaEncoder());

    /// <summary>The start of an HEIF file: an ftyp box naming heic, then an empty mdat.</summary>
    public static byte[] Heic() => [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, 0, 0, 0, 8, .. "mdat"u8];

    public static byte[] Svg() => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\"><circle r=\"9\"/></svg>"u8.ToArray();

    public static byte[] Pdf() => "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    /// <summary>A PDF header, then a whole JPEG: a viewer and an image decoder see different files.</summary>
    public static byte[] PdfThenJpeg() => [.. Pdf(), .. Jpeg()];

    /// <summary>A JPEG with a ZIP archive appended (a JPEG to image decoders, an archive to unzip).</summary>
    public static byte[] JpegThenZip()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(archive.CreateEntry("payload.txt").Open());
            entry.Write("not a photo");
        }

        return [.. Jpeg(), .. zip.ToArray()];
    }

    /// <summary>A GIF signature whose header bytes open a JavaScript comment: a script to a browser, garbage to a decoder.</summary>
    public static byte[] GifScript() => Encoding.ASCII.GetBytes("GIF89a/*\0\0\0\0\0*/=1;alert(document.domain);//");

    /// <summary>The PNG signature followed by a JPEG.</summary>
    public static byte[] PngSignatureThenJpeg() => [0x89, .. "PNG\r\n\x1A\n"u8, .. Jpeg()];

    /// <summary>A valid PNG carrying HTML in a text chunk.</summary>
    public static byte[] PngWithHtml()
    {
        using var image = Pattern();
        image.Metadata.GetPngMetadata().TextData.Add(new PngTextData("Comment", "<script>alert(1)</script>", "", ""));
        return Encode(image, new PngEncoder());
    }

    /// <summary>A PNG whose first IDAT chunk declares nearly 2 GB.</summary>
    public static byte[] PngWithHugeChunk()
    {
        var png = Png();
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat - 4), 0x7FFFFFF0);
        return png;
    }
}
