namespace IdVerify.Core.Templates;

/// <summary>One enrolled embedding, with the model that made it and, when crops are kept, its sealed aligned face.</summary>
/// <param name="KeyId">the data key the stored row is sealed with (null for a row written before rows were sealed).</param>
public sealed record FaceTemplate(
    string TemplateId,
    string SubjectId,
    float[] Embedding,
    string EmbedderId,
    string EmbedderSha256,
    DateTimeOffset CreatedAt,
    TemplateQuality Quality,
    byte[]? ProtectedCrop = null,
    string? KeyId = null);
