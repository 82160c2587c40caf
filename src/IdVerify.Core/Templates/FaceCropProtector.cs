using System.Numerics;
using System.Runtime.InteropServices;
using IdVerify.Core.Alignment;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Templates;

/// <summary>
/// Seals the aligned 112×112 face crop kept beside a template under the data key ring, with the template id bound, so
/// a crop cannot be moved to another template. Stored crops let a new embedder be rolled out without the customer
/// returning; they are biometric data, so they are kept only when Templates:KeepCrops is set.
/// </summary>
public sealed class FaceCropProtector(DataKeyRing keys)
{
    public const string Purpose = "crop";

    /// <summary>The sealed crop, and the key it was sealed with (the row's key id).</summary>
    public (byte[] Blob, string KeyId) Protect(AlignedFace face, string templateId) =>
        (keys.Seal(keys.ActiveId, Purpose, templateId, MemoryMarshal.AsBytes(face.Pixels.AsSpan())), keys.ActiveId);

    /// <summary>Opens a crop; a missing key, a wrong key or a crop moved from another template fails closed.</summary>
    public AlignedFace Unprotect(byte[] blob, string keyId, string templateId)
    {
        var pixels = new Rgb24[AlignedFace.Size * AlignedFace.Size];
        keys.Open(keyId, Purpose, templateId, blob, MemoryMarshal.AsBytes(pixels.AsSpan()));
        return new AlignedFace(pixels, Matrix3x2.Identity);
    }
}
