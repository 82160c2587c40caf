using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using IdVerify.Core.Alignment;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Templates;

/// <summary>
/// Encrypts the aligned 112×112 face crop kept beside a template (AES-256-GCM, the template id as associated
/// data so a crop cannot be moved to another template). Stored crops let a new embedder be rolled out without
/// the customer returning; they are biometric data, so this is off unless a key is configured.
/// </summary>
public sealed class FaceCropProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public FaceCropProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "The face-crop key must be 32 bytes (base64 of 32 random bytes).");
        }

        this.key = key;
    }

    public static FaceCropProtector FromBase64(string key)
    {
        try
        {
            return new FaceCropProtector(Convert.FromBase64String(key));
        }
        catch (FormatException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "The face-crop key is not valid base64.", ex);
        }
    }

    public byte[] Protect(AlignedFace face, string templateId)
    {
        var plain = MemoryMarshal.AsBytes(face.Pixels.AsSpan());
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(templateId));
        return blob;
    }

    /// <summary>Decrypts a crop; a wrong key or a crop moved from another template fails authentication.</summary>
    public AlignedFace Unprotect(byte[] blob, string templateId)
    {
        var pixels = new Rgb24[AlignedFace.Size * AlignedFace.Size];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize),
                MemoryMarshal.AsBytes(pixels.AsSpan()), Encoding.UTF8.GetBytes(templateId));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"The stored face crop of template {templateId} does not decrypt with this key.", ex);
        }

        return new AlignedFace(pixels, Matrix3x2.Identity);
    }
}
