using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace IdVerify.Core.Imaging;

/// <summary>
/// Walks a file's container structure (chunks, segments, blocks) before ImageSharp sees it. ImageSharp 2 fills the
/// missing rows of a truncated PNG, WebP, GIF or BMP with grey instead of failing (a face found in half a photo is a
/// wrong answer), and trusts declared chunk sizes: a WebP chunk claiming 2 GB made it allocate 2 GB or throw a
/// NullReferenceException. Each check reads only the container, never the compressed pixels, and has no false
/// positives on files the encoders write: every chunk must lie inside the file and the structure must reach its end.
/// </summary>
internal static class ImageStructure
{
    /// <summary>Null when the file is whole; otherwise the error to answer with.</summary>
    public static ImageDecodeException? Check(IImageFormat format, ReadOnlySpan<byte> bytes, int maxFrames) => format switch
    {
        JpegFormat => CheckJpeg(bytes),
        PngFormat => CheckPng(bytes),
        WebpFormat => CheckWebp(bytes),
        GifFormat => CheckGif(bytes, maxFrames),
        BmpFormat => CheckBmp(bytes),
        _ => null,
    };

    private static ImageDecodeException Truncated(string format) =>
        new(ErrorCodes.ImageUnreadable, $"The {format} is truncated or corrupt: its data ends before its structure does.");

    private static ImageDecodeException Corrupt(string format, string what) =>
        new(ErrorCodes.ImageUnreadable, $"The {format} is corrupt: {what}.");

    /// <summary>
    /// A JPEG must have its end-of-image marker after the last start-of-scan. Entropy-coded data cannot contain
    /// FF D9 (byte stuffing), so the check has no false positives.
    /// </summary>
    private static ImageDecodeException? CheckJpeg(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> startOfScan = [0xFF, 0xDA];
        ReadOnlySpan<byte> endOfImage = [0xFF, 0xD9];
        var scan = bytes.LastIndexOf(startOfScan);
        return scan < 0 || bytes[scan..].IndexOf(endOfImage) < 0
            ? new ImageDecodeException(ErrorCodes.ImageUnreadable, "The JPEG is truncated: it ends before its end-of-image marker.")
            : null;
    }

    /// <summary>Every chunk (length, type, data, CRC) inside the file, up to IEND.</summary>
    private static ImageDecodeException? CheckPng(ReadOnlySpan<byte> bytes)
    {
        long position = 8;
        while (position + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[(int)position..]);
            if (length > int.MaxValue)
            {
                return Corrupt("PNG", "a chunk declares an impossible length");
            }

            var type = bytes.Slice((int)position + 4, 4);
            position += 12L + length;
            if (position > bytes.Length)
            {
                return Truncated("PNG");
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }
        }

        return Truncated("PNG");
    }

    /// <summary>
    /// Every chunk lies inside the file (ImageSharp allocates what a chunk declares), up to the RIFF size; animation is
    /// refused here. The RIFF size itself may overstate the file: ImageSharp 2's own lossless encoder writes it 18 bytes
    /// too large when it adds metadata, so the file's length bounds the walk when it is the shorter.
    /// </summary>
    private static ImageDecodeException? CheckWebp(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 20)
        {
            return Truncated("WebP");
        }

        var end = Math.Min(8L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]), bytes.Length);
        long position = 12;
        var hasImage = false;
        while (position + 8 <= end)
        {
            var fourCc = bytes.Slice((int)position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[((int)position + 4)..]);
            var payload = position + 8;
            position = payload + size + (size & 1);
            if (payload + size > bytes.Length)
            {
                return Truncated("WebP");
            }

            if (fourCc.SequenceEqual("ANIM"u8) || fourCc.SequenceEqual("ANMF"u8)
                || (fourCc.SequenceEqual("VP8X"u8) && size >= 1 && (bytes[(int)payload] & 0x02) != 0))
            {
                return new ImageDecodeException(ErrorCodes.UnsupportedFormat, "Animated WebP is not supported; send a still image.");
            }

            hasImage |= fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8);
        }

        return hasImage ? null : Corrupt("WebP", "it holds no image data");
    }

    /// <summary>
    /// The blocks up to the first frame's last data sub-block are inside the file (only that frame is decoded), and
    /// the file holds no more frames than the limit. Later frames are counted, not checked.
    /// </summary>
    private static ImageDecodeException? CheckGif(ReadOnlySpan<byte> bytes, int maxFrames)
    {
        if (bytes.Length < 13)
        {
            return Truncated("GIF");
        }

        var position = 13 + ColourTableSize(bytes[10]);
        var frames = 0;
        while (position < bytes.Length)
        {
            switch (bytes[position])
            {
                case 0x3B:
                    return frames > 0 ? null : Corrupt("GIF", "it holds no image");
                case 0x21:
                    position = SkipSubBlocks(bytes, position + 2);
                    break;
                case 0x2C:
                    if (position + 10 > bytes.Length)
                    {
                        return frames > 0 ? null : Truncated("GIF");
                    }

                    position = SkipSubBlocks(bytes, position + 10 + ColourTableSize(bytes[position + 9]) + 1);
                    if (position < 0 && frames == 0)
                    {
                        return Truncated("GIF");
                    }

                    if (++frames > maxFrames)
                    {
                        return new ImageDecodeException(ErrorCodes.ImageTooLarge, $"The GIF has more than {maxFrames} frames.");
                    }

                    break;
                default:
                    return frames > 0 ? null : Corrupt("GIF", "an unknown block precedes the first image");
            }

            if (position < 0)
            {
                // Cut after the first frame: only that frame is decoded, and it is whole.
                return frames > 0 ? null : Truncated("GIF");
            }
        }

        return frames > 0 ? null : Truncated("GIF");

        static int ColourTableSize(byte packed) => (packed & 0x80) != 0 ? 3 << ((packed & 0x07) + 1) : 0;

        // The position after a chain of data sub-blocks and its terminator, or -1 when the file ends first.
        static int SkipSubBlocks(ReadOnlySpan<byte> bytes, int position)
        {
            while (position >= 0 && position < bytes.Length)
            {
                var length = bytes[position];
                position += 1 + length;
                if (length == 0)
                {
                    return position;
                }
            }

            return -1;
        }
    }

    /// <summary>The header's bit depth and palette are possible, and uncompressed pixel rows are all in the file.</summary>
    private static ImageDecodeException? CheckBmp(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 26)
        {
            return Truncated("BMP");
        }

        var dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[10..]);
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[14..]);
        if (headerSize < 12 || 14L + headerSize > bytes.Length)
        {
            return Truncated("BMP");
        }

        long width, height;
        int bitsPerPixel;
        uint compression = 0, coloursUsed = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]);
            height = BinaryPrimitives.ReadInt16LittleEndian(bytes[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(bytes[24..]);
        }
        else if (headerSize >= 40)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(bytes[18..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(bytes[22..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(bytes[30..]);
            coloursUsed = BinaryPrimitives.ReadUInt32LittleEndian(bytes[46..]);
        }
        else
        {
            // The short OS/2 headers: rare, and left to the decoder.
            return null;
        }

        if (bitsPerPixel is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
        {
            return Corrupt("BMP", $"{bitsPerPixel} bits per pixel is not a BMP bit depth");
        }

        if (coloursUsed > 256 || 14L + headerSize + (coloursUsed * 4L) > bytes.Length)
        {
            return Corrupt("BMP", "its palette is larger than the file");
        }

        // Uncompressed and bit-field layouts: rows padded to 4 bytes. RLE and embedded JPEG/PNG are left to the decoder.
        if (compression is 0 or 3 or 6)
        {
            var stride = ((width * bitsPerPixel) + 31) / 32 * 4;
            var start = Math.Max(dataOffset, 14L + headerSize);
            if (width <= 0)
            {
                return Corrupt("BMP", "its width is not positive");
            }

            if (start + (stride * Math.Abs(height)) > bytes.Length)
            {
                return Truncated("BMP");
            }
        }

        return null;
    }
}
