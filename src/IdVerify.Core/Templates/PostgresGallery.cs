using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// The PostgreSQL provider's gallery: each search reads the active embedder's rows from the shared database, so it sees every
/// instance's enrollments and erasures as committed (no per-instance copy to go stale), opens them with the data key ring and
/// scans them exactly (<see cref="GalleryScan"/>). Cost grows with the gallery: every search reads and decrypts all of it.
/// </summary>
public sealed class PostgresGallery(PostgresDatabase database, DataKeyRing keys) : IGallery
{
    private readonly TemplateSealer sealer = new(keys);

    public async Task<GallerySearch> SearchAsync(GalleryQuery query, CancellationToken cancellationToken = default)
    {
        var subjects = new List<(string SubjectId, IReadOnlyList<float[]> Templates)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null, """
            SELECT subject_id, template_id, embedding, key_id FROM templates
            WHERE embedder_id = @m AND embedder_sha256 = @h ORDER BY subject_id
            """, ("m", query.Embedder.Id), ("h", query.Embedder.Sha256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<float[]>? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var subjectId = reader.GetString(0);
            if (subjects.Count == 0 || subjects[^1].SubjectId != subjectId)
            {
                current = [];
                subjects.Add((subjectId, current));
            }

            current!.Add(sealer.OpenEmbedding(reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        }

        return GalleryScan.Run(query, subjects);
    }
}
