namespace IdVerify.Core.Templates;

public sealed record MigrationReport(int Subjects, int TemplatesAdded, int SkippedWithoutCrop, int AlreadyMigrated);
