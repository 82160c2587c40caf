namespace IdVerify.Core.Templates;

/// <summary>One enrolled embedding, with the model that made it and, when crops are kept, its encrypted aligned face.</summary>
public sealed record FaceTemplate(
    string TemplateId,
    string SubjectId,
    float[] Embedding,
    string EmbedderId,
    string EmbedderSha256,
    DateTimeOffset CreatedAt,
    TemplateQuality Quality,
    byte[]? ProtectedCrop = null);
