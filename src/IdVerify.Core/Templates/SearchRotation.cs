using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Security.Cryptography;

namespace IdVerify.Core.Templates;

/// <summary>
/// The secret rotation behind the PostgreSQL provider's vector index: the index holds R·x, not the embedding x, where R is a
/// random orthonormal matrix drawn from a data key (ISO/IEC 24745: the stored search copy is renewable and unlinkable, a new
/// key gives an unrelated R). A rotation keeps every cosine, so the index ranks exactly as the plain vectors would. It is
/// not encryption: anyone holding the key, or enough pairs of known embeddings and their rotated copies, recovers R.
/// </summary>
public sealed class SearchRotation(DataKeyRing keys)
{
    /// <summary>The HKDF label of the rotation seed, so the seed is never the sealing key itself.</summary>
    private const string Label = "idverify:search-rotation:v1";

    private readonly ConcurrentDictionary<(string KeyId, int Dimensions), Lazy<float[]>> matrices = new();

    /// <summary>R·<paramref name="embedding"/> under <paramref name="keyId"/>'s rotation of that dimension.</summary>
    public float[] Rotate(string keyId, ReadOnlySpan<float> embedding)
    {
        var d = embedding.Length;
        var rotation = matrices.GetOrAdd((keyId, d), k => new Lazy<float[]>(() => Orthonormal(keys.Derive(k.KeyId, $"{Label}:{k.Dimensions}", 32), k.Dimensions))).Value;
        var rotated = new float[d];
        for (var i = 0; i < d; i++)
        {
            rotated[i] = TensorPrimitives.Dot(rotation.AsSpan(i * d, d), embedding);
        }

        return rotated;
    }

    /// <summary>
    /// A d×d orthonormal matrix (row-major) from a 32-byte seed: a Gaussian matrix from the AES-256-CTR keystream of the seed
    /// (Box–Muller), its rows orthonormalised by Gram–Schmidt in double, twice per row so float rounding stays far below 1e-6.
    /// QR of a Gaussian matrix is uniformly (Haar) distributed over the rotations.
    /// </summary>
    internal static float[] Orthonormal(byte[] seed, int d)
    {
        var gaussians = Gaussians(seed, d * d);
        var rows = new double[d][];
        for (var i = 0; i < d; i++)
        {
            var row = rows[i] = gaussians.AsSpan(i * d, d).ToArray();
            for (var pass = 0; pass < 2; pass++)
            {
                for (var k = 0; k < i; k++)
                {
                    TensorPrimitives.MultiplyAdd<double>(rows[k], -TensorPrimitives.Dot<double>(row, rows[k]), row, row);
                }
            }

            TensorPrimitives.Divide<double>(row, TensorPrimitives.Norm<double>(row), row);
        }

        var matrix = new float[d * d];
        for (var i = 0; i < d; i++)
        {
            TensorPrimitives.ConvertTruncating<double, float>(rows[i], matrix.AsSpan(i * d, d));
        }

        return matrix;
    }

    /// <summary>
    /// <paramref name="count"/> standard normals (Box–Muller) from uniforms of 53 bits each, read from AES-256 in counter mode
    /// keyed by the seed: deterministic for one seed, unpredictable without it.
    /// </summary>
    private static double[] Gaussians(byte[] seed, int count)
    {
        var pairs = (count + 1) / 2;
        var counters = new byte[pairs * 16];
        for (var block = 0; block < pairs; block++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(counters.AsSpan(block * 16), block);
        }

        using var aes = Aes.Create();
        aes.Key = seed;
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var gaussians = new double[pairs * 2];
        for (var p = 0; p < pairs; p++)
        {
            var u1 = Uniform(stream, (p * 16) + 0);
            var u2 = Uniform(stream, (p * 16) + 8);
            var radius = Math.Sqrt(-2 * Math.Log(1 - u1));
            gaussians[2 * p] = radius * Math.Cos(2 * Math.PI * u2);
            gaussians[(2 * p) + 1] = radius * Math.Sin(2 * Math.PI * u2);
        }

        return gaussians;
    }

    private static double Uniform(byte[] stream, int offset) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(stream.AsSpan(offset)) >> 11) * (1.0 / (1UL << 53));
}
