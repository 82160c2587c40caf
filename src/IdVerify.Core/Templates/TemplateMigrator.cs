using IdVerify.Core.Embedding;

namespace IdVerify.Core.Templates;

/// <summary>
/// Re-embeds every subject's stored (encrypted) face crops with a new embedder, offline, so a model rollout does not
/// need every customer back at a branch. Old templates stay until the subject is re-enrolled or erased.
/// </summary>
public static class TemplateMigrator
{
    public static async Task<MigrationReport> MigrateAsync(ITemplateStore store, FaceEmbedder target, FaceCropProtector crops,
        TimeProvider time, CancellationToken cancellationToken = default)
    {
        var all = await store.ListTemplatesAsync(cancellationToken);
        int added = 0, skipped = 0, already = 0, subjects = 0;
        foreach (var subject in all.GroupBy(t => t.SubjectId))
        {
            if (subject.Any(t => t.EmbedderId == target.Model.Id && t.EmbedderSha256 == target.Model.Sha256))
            {
                already++;
                continue;
            }

            var migrated = new List<FaceTemplate>();
            foreach (var template in subject)
            {
                if (template.ProtectedCrop is null)
                {
                    skipped++;
                    continue;
                }

                if (template.KeyId is not { } keyId)
                {
                    // A crop from before rows were sealed: `idverify keys rotate-data` drops it, no key opens it.
                    skipped++;
                    continue;
                }

                var face = crops.Unprotect(template.ProtectedCrop, keyId, template.TemplateId);
                var id = Guid.NewGuid().ToString("N");
                var crop = crops.Protect(face, id);
                migrated.Add(new FaceTemplate(id, subject.Key, target.Embed(face), target.Model.Id, target.Model.Sha256, time.GetUtcNow(),
                    template.Quality, crop.Blob, crop.KeyId));
            }

            if (migrated.Count > 0)
            {
                await store.AddTemplatesAsync(subject.Key, migrated, replace: false, maxTemplates: int.MaxValue, cancellationToken: cancellationToken);
                added += migrated.Count;
                subjects++;
            }
        }

        return new MigrationReport(subjects, added, skipped, already);
    }
}
