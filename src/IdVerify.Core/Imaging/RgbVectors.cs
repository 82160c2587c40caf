using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace IdVerify.Core.Imaging;

/// <summary>
/// 16 RGB pixels (48 bytes, three vectors) split into one byte vector per channel by byte lookups: SSSE3 on x86-64, NEON
/// on ARM64 (where neither is, <see cref="IsSupported"/> is false and callers keep their scalar loops).
/// </summary>
internal static class RgbVectors
{
    /// <summary>
    /// For channel k and the j-th 16 bytes of a 48-byte block: lane i holds the index of byte 3i + k when it lies in those
    /// 16 bytes, else 0x80, which both x86's and ARM's byte lookup answer with zero.
    /// </summary>
    private static readonly Vector128<byte>[] ChannelLookups = CreateChannelLookups();

    public static bool IsSupported => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>Channel <paramref name="channel"/> (0 red, 1 green, 2 blue) of the 16 pixels in <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/>.</summary>
    public static Vector128<byte> Channel(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, int channel) =>
        Lookup(a, ChannelLookups[3 * channel]) | Lookup(b, ChannelLookups[(3 * channel) + 1]) | Lookup(c, ChannelLookups[(3 * channel) + 2]);

    /// <summary>Lane i of the result is <paramref name="source"/>'s lane <paramref name="indices"/>[i], or zero for an index with its top bit set.</summary>
    public static Vector128<byte> Lookup(Vector128<byte> source, Vector128<byte> indices) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(source, indices) : AdvSimd.Arm64.VectorTableLookup(source, indices);

    /// <summary>A lookup vector from one index per lane (negative: zero).</summary>
    public static Vector128<byte> Indices(Func<int, int> lane)
    {
        Span<byte> lanes = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            var at = lane(i);
            lanes[i] = at is >= 0 and < 16 ? (byte)at : (byte)0x80;
        }

        return Vector128.Create<byte>(lanes);
    }

    private static Vector128<byte>[] CreateChannelLookups()
    {
        var lookups = new Vector128<byte>[9];
        for (var channel = 0; channel < 3; channel++)
        {
            for (var part = 0; part < 3; part++)
            {
                lookups[(3 * channel) + part] = Indices(i => (3 * i) + channel - (16 * part));
            }
        }

        return lookups;
    }
}
