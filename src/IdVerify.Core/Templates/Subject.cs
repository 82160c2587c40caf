namespace IdVerify.Core.Templates;

/// <summary>An enrolled person: the caller's id and their templates, oldest first.</summary>
public sealed record Subject(string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<FaceTemplate> Templates);
