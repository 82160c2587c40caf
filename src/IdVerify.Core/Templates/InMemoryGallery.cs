using System.Collections.Concurrent;

namespace IdVerify.Core.Templates;

/// <summary>
/// The SQLite provider's gallery: the decrypted templates held in memory, per embedder and subject, loaded on the first search
/// and kept in step with this process's writes (<see cref="SqliteTemplateStore.SubjectChanged"/>: a changed subject is re-read
/// before the next search). Rotation re-seals rows without changing a vector, so it needs nothing here. The search is exact
/// (<see cref="GalleryScan"/>, TensorPrimitives dot products). Writes by another process (the CLI) are seen after a restart.
/// </summary>
public sealed class InMemoryGallery : IGallery, IDisposable
{
    private readonly SqliteTemplateStore store;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> changed = new(StringComparer.Ordinal);

    /// <summary>Embedder (id and sha256) → subject → that embedder's templates of the subject.</summary>
    private Dictionary<string, Dictionary<string, float[][]>>? byEmbedder;

    public InMemoryGallery(SqliteTemplateStore store)
    {
        this.store = store;
        store.SubjectChanged += OnSubjectChanged;
    }

    public async Task<GallerySearch> SearchAsync(GalleryQuery query, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var gallery = await SyncAsync(cancellationToken);
            return GalleryScan.Run(query, gallery.TryGetValue(Key(query.Embedder.Id, query.Embedder.Sha256), out var subjects)
                ? subjects.Select(s => (s.Key, (IReadOnlyList<float[]>)s.Value))
                : []);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        store.SubjectChanged -= OnSubjectChanged;
        gate.Dispose();
    }

    private void OnSubjectChanged(string subjectId) => changed[subjectId] = 0;

    private async Task<Dictionary<string, Dictionary<string, float[][]>>> SyncAsync(CancellationToken cancellationToken)
    {
        if (byEmbedder is null)
        {
            // A change raised while the load reads is re-read after it: at worst once too often, never missed.
            changed.Clear();
            byEmbedder = (await store.ListTemplatesAsync(cancellationToken))
                .GroupBy(t => Key(t.EmbedderId, t.EmbedderSha256))
                .ToDictionary(e => e.Key, e => e.GroupBy(t => t.SubjectId).ToDictionary(s => s.Key, s => s.Select(t => t.Embedding).ToArray()));
        }

        foreach (var subjectId in changed.Keys)
        {
            changed.TryRemove(subjectId, out _);
            foreach (var subjects in byEmbedder.Values)
            {
                subjects.Remove(subjectId);
            }

            if (await store.GetSubjectAsync(subjectId, cancellationToken) is { } subject)
            {
                foreach (var group in subject.Templates.GroupBy(t => Key(t.EmbedderId, t.EmbedderSha256)))
                {
                    if (!byEmbedder.TryGetValue(group.Key, out var subjects))
                    {
                        byEmbedder[group.Key] = subjects = new Dictionary<string, float[][]>(StringComparer.Ordinal);
                    }

                    subjects[subjectId] = group.Select(t => t.Embedding).ToArray();
                }
            }
        }

        return byEmbedder;
    }

    private static string Key(string embedderId, string sha256) => $"{embedderId}@{sha256}";
}
