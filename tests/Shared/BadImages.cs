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

    /// <summary>
    /// An animated WebP container (VP8X + ANIM + one ANMF per frame) around a real lossless frame;
    /// ImageSharp 2 cannot encode animation, so the RIFF chunks are written here.
    /// </summary>
    public static byte[] AnimatedWebp(int frames)
    {
        using var image = new Image<Rgb24>(16, 16, new Rgb24(200, 10, 10));
        using var encoded = new MemoryStream();
        image.Save(encoded, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless });
        var frameChunk = encoded.ToArray()[12..]; // the VP8L chunk after "RIFF size WEBP"

        using var body = new MemoryStream();
        void Chunk(string fourCc, byte[] payload)
        {
            body.Write(System.Text.Encoding.ASCII.GetBytes(fourCc));
            body.Write(BitConverter.GetBytes(payload.Length));
            body.Write(payload);
            if (payload.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }

        static byte[] U24(int v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16)];
        Chunk("VP8X", [0x02, 0, 0, 0, .. U24(15), .. U24(15)]);
        Chunk("ANIM", [0, 0, 0, 0, 0, 0]);
        for (var i = 0; i < frames; i++)
        {
            Chunk("ANMF", [.. U24(0), .. U24(0), .. U24(15), .. U24(15), .. U24(100), 0, .. frameChunk]);
        }

        var riff = body.ToArray();
        return [.. "RIFF"u8, .. BitConverter.GetBytes(riff.Length + 4), .. "WEBP"u8, .. riff];
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
