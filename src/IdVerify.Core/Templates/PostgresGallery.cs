using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// The PostgreSQL provider's gallery, shared by every instance (each search sees the enrollments and erasures committed so
/// far). An HNSW index (pgvector, cosine) over the rotated search copies (<see cref="SearchRotation"/>) names the candidate
/// templates; their subjects' templates are then opened and scored exactly as verify scores them (<see cref="GalleryScan"/>),
/// so the answer is the exact scan's whenever the true best subjects are among the candidates (recall measured by
/// <c>idverify bench-identify</c>). Rows without a search copy yet are always scored exactly, so none is ever missed.
/// </summary>
public sealed class PostgresGallery(PostgresDatabase database, DataKeyRing keys) : IGallery
{
    /// <summary>Rows filled per read when old rows get their search copies (bounded memory on a large gallery).</summary>
    private const int FillBatch = 5000;

    private readonly TemplateSealer sealer = new(keys);
    private readonly SearchRotation rotation = new(keys);
    private readonly ConcurrentDictionary<int, Lazy<Task>> prepared = new();

    /// <summary>Templates the index names per search: 4 per requested subject, never under 40.</summary>
    public static int Candidates(int top) => Math.Max(4 * top, 40);

    /// <summary>The HNSW search's queue (hnsw.ef_search): twice the candidates, at least pgvector's default 40.</summary>
    public static int EfSearch(int top) => Math.Max(2 * Candidates(top), 40);

    public async Task<GallerySearch> SearchAsync(GalleryQuery query, CancellationToken cancellationToken = default)
    {
        var d = query.Probe.Length;
        await PrepareAsync(d, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        (string, object?)[] embedder = [("m", query.Embedder.Id), ("h", query.Embedder.Sha256), ("x", query.ExcludeSubjectId)];
        var (size, keysInUse) = await ReadGalleryAsync(connection, transaction, embedder, cancellationToken);

        // Each key's rows are rotated under that key (mid-rotation there are two), so each gets its own index search with the
        // probe rotated to match; rows without a copy are candidates outright. One round trip returns every template of the
        // candidate subjects.
        var searches = keysInUse.Select((_, i) => $"""
            (SELECT subject_id FROM templates
             WHERE dimensions = {d} AND embedder_id = @m AND embedder_sha256 = @h AND key_id = @k{i} AND subject_id IS DISTINCT FROM @x
             ORDER BY search_vector::vector({d}) <=> @q{i}::real[]::vector({d}) LIMIT {Candidates(query.Top)})
            """).Append("""
            (SELECT subject_id FROM templates
             WHERE embedder_id = @m AND embedder_sha256 = @h AND search_vector IS NULL AND subject_id IS DISTINCT FROM @x)
            """);
        (string, object?)[] parameters = [.. embedder, ("ef", EfSearch(query.Top).ToString(CultureInfo.InvariantCulture)),
            .. keysInUse.SelectMany((k, i) => new (string, object?)[] { ($"k{i}", k), ($"q{i}", rotation.Rotate(k, query.Probe)) })];
        await using var command = Prepare(connection, transaction, $"""
            SELECT set_config('hnsw.ef_search', @ef, true), set_config('hnsw.iterative_scan', 'relaxed_order', true);
            SELECT subject_id, template_id, embedding, key_id FROM templates
            WHERE embedder_id = @m AND embedder_sha256 = @h AND subject_id IN ({string.Join(" UNION ", searches)})
            ORDER BY subject_id
            """, parameters);
        var subjects = new List<(string SubjectId, IReadOnlyList<float[]> Templates)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
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
        }

        await transaction.CommitAsync(cancellationToken);
        return GalleryScan.Run(query, subjects) with { GallerySize = size };
    }

    /// <summary>
    /// In one round trip: the gallery size (from <c>gallery_sizes</c>, less the excluded subject when it is enrolled) and the
    /// data keys the embedder's rows are sealed with, read by skipping through the index (a few lookups, not a scan). A key
    /// that is not configured fails the search, as opening its rows would.
    /// </summary>
    private async Task<(int Size, List<string> Keys)> ReadGalleryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (string, object?)[] embedder, CancellationToken cancellationToken)
    {
        await using var command = Prepare(connection, transaction, """
            SELECT COALESCE((SELECT subjects FROM gallery_sizes WHERE embedder_id = @m AND embedder_sha256 = @h), 0)
                 - (SELECT COUNT(*) FROM (SELECT 1 FROM templates WHERE subject_id = @x AND embedder_id = @m AND embedder_sha256 = @h LIMIT 1) own);
            WITH RECURSIVE used(key_id) AS (
                (SELECT key_id FROM templates WHERE embedder_id = @m AND embedder_sha256 = @h AND key_id IS NOT NULL ORDER BY key_id LIMIT 1)
                UNION ALL
                SELECT (SELECT t.key_id FROM templates t WHERE t.embedder_id = @m AND t.embedder_sha256 = @h AND t.key_id > used.key_id
                        ORDER BY t.key_id LIMIT 1)
                FROM used WHERE used.key_id IS NOT NULL)
            SELECT key_id FROM used WHERE key_id IS NOT NULL
            """, embedder);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var size = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        var used = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            used.Add(reader.GetString(0));
        }

        if (used.FirstOrDefault(k => !keys.Ids.Contains(k)) is { } missing)
        {
            throw new IdVerifyException(ErrorCodes.DataKeyMissing,
                $"Templates sealed with data key '{missing}' cannot be searched: that key is not configured (configured: {string.Join(", ", keys.Ids)}).");
        }

        return (size, used);
    }

    /// <summary>
    /// Once per process and dimension: gives every row still without one its search copy (rows from before the column existed),
    /// then builds the dimension's HNSW index if no instance has. Both under an advisory lock, so instances do it once.
    /// </summary>
    private async Task PrepareAsync(int dimensions, CancellationToken cancellationToken)
    {
        var once = prepared.GetOrAdd(dimensions, d => new Lazy<Task>(() => PrepareOnceAsync(d)));
        try
        {
            await once.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (once.Value.IsFaulted)
        {
            // A failed preparation (the database away) is tried again by the next search.
            prepared.TryRemove(new KeyValuePair<int, Lazy<Task>>(dimensions, once));
            throw;
        }
    }

    private async Task PrepareOnceAsync(int d)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@c, @d)", CancellationToken.None, ("c", SearchLockClass), ("d", d));
        List<(string TemplateId, string KeyId, byte[] Blob)> rows;
        do
        {
            rows = [];
            await using (var command = Prepare(connection, transaction, $"""
                SELECT template_id, key_id, embedding FROM templates WHERE search_vector IS NULL AND key_id IS NOT NULL AND dimensions = @d
                LIMIT {FillBatch}
                """, ("d", d)))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
                }
            }

            foreach (var (templateId, keyId, blob) in rows)
            {
                await ExecuteAsync(connection, transaction, "UPDATE templates SET search_vector = @v::real[]::vector WHERE template_id = @id",
                    CancellationToken.None, ("v", rotation.Rotate(keyId, sealer.OpenEmbedding(keyId, templateId, blob))), ("id", templateId));
            }
        }
        while (rows.Count == FillBatch);

        await ExecuteAsync(connection, transaction, $"""
            CREATE INDEX IF NOT EXISTS templates_search_{d} ON templates
            USING hnsw ((search_vector::vector({d})) vector_cosine_ops) WHERE dimensions = {d}
            """, CancellationToken.None);
        await transaction.CommitAsync();
    }
}
