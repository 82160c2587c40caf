using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Tests;

/// <summary>Hostile and broken inputs built from real encoders, shared by the decoder and HTTP tests.</summary>
public static class BadImages
{
    /// <summary>A tiny, valid PNG whose header claims a huge canvas (the IHDR CRC is fixed up).</summary>
    public static byte[] PixelBomb(int width, int height)
    {
        using var image = new Image<Rgb24>(8, 8);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        var png = stream.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>The first two thirds of a real JPEG.</summary>
    public static byte[] Truncated(byte[] jpeg) => jpeg[..(jpeg.Length * 2 / 3)];

    /// <summary>A real photo re-encoded as TIFF, which the service does not accept.</summary>
    public static byte[] AsTiff(byte[] photo)
    {
        using var image = Image.Load<Rgb24>(photo);
        using var stream = new MemoryStream();
        image.SaveAsTiff(stream);
        return stream.ToArray();
    }

    /// <summary>A real photo shrunk so that its face is only a few pixels across.</summary>
    public static byte[] Shrunk(byte[] photo, int width)
    {
        using var image = Image.Load<Rgb24>(photo);
        image.Mutate(x => x.Resize(width, 0));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
