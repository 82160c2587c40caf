using System.Runtime.InteropServices;

namespace IdVerify.Core.Templates;

/// <summary>
/// How a template row's embedding and crop are sealed and opened with the data key ring, written once for both stores: the
/// template id and the column are the associated data, so a sealed blob opens only in its own row and column.
/// </summary>
public sealed class TemplateSealer(DataKeyRing keys)
{
    public const string EmbeddingPurpose = "embedding";

    public DataKeyRing Keys => keys;

    public byte[] SealEmbedding(string keyId, string templateId, float[] embedding) =>
        keys.Seal(keyId, EmbeddingPurpose, templateId, MemoryMarshal.AsBytes(embedding.AsSpan()));

    /// <summary>The embedding of a row; a row without a key id was written before rows were sealed (rotation seals it).</summary>
    public float[] OpenEmbedding(string? keyId, string templateId, byte[] blob)
    {
        if (keyId is null)
        {
            return MemoryMarshal.Cast<byte, float>(blob).ToArray();
        }

        var embedding = new float[DataKeyRing.PlainLength(blob.Length) / sizeof(float)];
        keys.Open(keyId, EmbeddingPurpose, templateId, blob, MemoryMarshal.AsBytes(embedding.AsSpan()));
        return embedding;
    }

    /// <summary>The crop re-sealed under <paramref name="toKeyId"/>; null for a crop from before sealing, which no data key opens.</summary>
    public byte[]? ResealCrop(FaceTemplate template, string toKeyId)
    {
        if (template.ProtectedCrop is not { } blob || template.KeyId is not { } fromKeyId)
        {
            return null;
        }

        var plain = new byte[DataKeyRing.PlainLength(blob.Length)];
        keys.Open(fromKeyId, FaceCropProtector.Purpose, template.TemplateId, blob, plain);
        return keys.Seal(toKeyId, FaceCropProtector.Purpose, template.TemplateId, plain);
    }

    /// <summary>Refuses a write that would pass the subject's template limit.</summary>
    public static void CheckLimit(string subjectId, int existing, int adding, int maxTemplates)
    {
        if (existing + adding > maxTemplates)
        {
            throw new IdVerifyException(ErrorCodes.TooManyTemplates,
                $"Subject '{subjectId}' has {existing} templates; adding {adding} would pass the limit of {maxTemplates}. " +
                "Enroll with ?replace=true to start over.");
        }
    }
}
