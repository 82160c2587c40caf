using System.Text.Json;
using Npgsql;
using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Subjects and templates in PostgreSQL. Each write is one transaction that first takes the subject's advisory lock, so
/// enrollments of one subject from any instance serialise (the guard sees the subject as it is) and never lose or
/// duplicate a template. Embeddings and crops are sealed exactly as in <see cref="SqliteTemplateStore"/>; beside each embedding
/// goes its search copy, rotated under the same data key (<see cref="SearchRotation"/>), for <see cref="PostgresGallery"/>.
/// </summary>
public sealed class PostgresTemplateStore(PostgresDatabase database, DataKeyRing keys, TimeProvider? time = null) : ITemplateStore
{
    private const string TemplateColumns = "template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id";
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly TemplateSealer sealer = new(keys);
    private readonly SearchRotation rotation = new(keys);

    public async Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadSubjectAsync(connection, null, subjectId, cancellationToken);
    }

    public async Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        Action<Subject?>? guard = null, Func<CancellationToken, Task>? exclusiveCheck = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (exclusiveCheck is not null)
        {
            // Taken before the subject's lock, always in this order, so two writers never wait on each other's.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@c, 0)", cancellationToken, ("c", CheckedWriteLockClass));
            await exclusiveCheck(cancellationToken);
        }

        await LockSubjectAsync(connection, transaction, subjectId, cancellationToken);
        var now = Utc(clock.GetUtcNow());
        if (guard is not null)
        {
            guard(await ReadSubjectAsync(connection, transaction, subjectId, cancellationToken));
        }

        if (replace)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM templates WHERE subject_id = @s", cancellationToken, ("s", subjectId));
        }

        var existing = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM templates WHERE subject_id = @s",
            cancellationToken, ("s", subjectId)), System.Globalization.CultureInfo.InvariantCulture);
        TemplateSealer.CheckLimit(subjectId, existing, templates.Count, maxTemplates);

        await ExecuteAsync(connection, transaction, """
            INSERT INTO subjects (subject_id, created_at, updated_at) VALUES (@s, @t, @t)
            ON CONFLICT (subject_id) DO UPDATE SET updated_at = excluded.updated_at
            """, cancellationToken, ("s", subjectId), ("t", now));

        foreach (var template in templates)
        {
            var keyId = template.KeyId ?? keys.ActiveId;
            await ExecuteAsync(connection, transaction, """
                INSERT INTO templates (template_id, subject_id, embedding, dimensions, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id,
                                       search_vector)
                VALUES (@id, @s, @e, @d, @m, @h, @t, @q, @c, @k, @v::real[]::vector)
                """, cancellationToken,
                ("id", template.TemplateId), ("s", subjectId), ("e", sealer.SealEmbedding(keyId, template.TemplateId, template.Embedding)),
                ("v", rotation.Rotate(keyId, template.Embedding)),
                ("d", template.Embedding.Length), ("m", template.EmbedderId), ("h", template.EmbedderSha256),
                ("t", Utc(template.CreatedAt)), ("q", JsonSerializer.Serialize(template.Quality)), ("c", template.ProtectedCrop), ("k", keyId));
        }

        var subject = await ReadSubjectAsync(connection, transaction, subjectId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return subject!;
    }

    public async Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockSubjectAsync(connection, transaction, subjectId, cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM templates WHERE subject_id = @s", cancellationToken, ("s", subjectId));
        await ExecuteAsync(connection, transaction, "DELETE FROM subject_attempts WHERE subject_id = @s", cancellationToken, ("s", subjectId));
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM subjects WHERE subject_id = @s", cancellationToken, ("s", subjectId));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null,
            $"SELECT subject_id, {TemplateColumns} FROM templates ORDER BY subject_id, created_at, template_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var templates = new List<FaceTemplate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            templates.Add(ReadTemplate(reader, reader.GetString(0), 1));
        }

        return templates;
    }

    public async Task<IReadOnlyDictionary<string, int>> CountSubjectsByEmbedderAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null,
            "SELECT embedder_id, COUNT(DISTINCT subject_id)::int FROM templates GROUP BY embedder_id ORDER BY embedder_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    public async Task<DataKeyRotation> RotateAsync(string targetKeyId, bool unsealedOnly = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(FaceTemplate Template, byte[]? Crop)>();
        await using (var command = Prepare(connection, transaction, $"""
            SELECT subject_id, {TemplateColumns} FROM templates
            WHERE key_id IS NULL OR (key_id <> @k AND NOT @unsealed) FOR UPDATE
            """, ("k", targetKeyId), ("unsealed", unsealedOnly)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var template = ReadTemplate(reader, reader.GetString(0), 1);
                rows.Add((template, sealer.ResealCrop(template, targetKeyId)));
            }
        }

        var dropped = 0;
        foreach (var (template, crop) in rows)
        {
            dropped += template.ProtectedCrop is not null && crop is null ? 1 : 0;
            // The search copy is renewed with the seal: the new key's rotation is unrelated to the old one's.
            await ExecuteAsync(connection, transaction, """
                UPDATE templates SET embedding = @e, face_crop = @c, key_id = @k, search_vector = @v::real[]::vector WHERE template_id = @id
                """, cancellationToken, ("e", sealer.SealEmbedding(targetKeyId, template.TemplateId, template.Embedding)), ("c", crop),
                ("k", targetKeyId), ("v", rotation.Rotate(targetKeyId, template.Embedding)), ("id", template.TemplateId));
        }

        await transaction.CommitAsync(cancellationToken);
        return new DataKeyRotation(rows.Count, dropped);
    }

    /// <summary>Held to the end of the transaction, on every instance: one writer per subject at a time.</summary>
    private static Task<int> LockSubjectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string subjectId,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", cancellationToken,
            ("c", SubjectLockClass), ("s", subjectId));

    private async Task<Subject?> ReadSubjectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string subjectId,
        CancellationToken cancellationToken)
    {
        await using var command = Prepare(connection, transaction, """
            SELECT s.created_at, s.updated_at, t.template_id, t.embedding, t.embedder_id, t.embedder_sha256, t.created_at, t.quality, t.face_crop, t.key_id
            FROM subjects s LEFT JOIN templates t ON t.subject_id = s.subject_id
            WHERE s.subject_id = @s ORDER BY t.created_at, t.template_id
            """, ("s", subjectId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Subject? subject = null;
        var templates = new List<FaceTemplate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            subject ??= new Subject(subjectId, reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1), templates);
            if (!reader.IsDBNull(2))
            {
                templates.Add(ReadTemplate(reader, subjectId, 2));
            }
        }

        return subject;
    }

    /// <summary>Reads <see cref="TemplateColumns"/> from <paramref name="first"/> on.</summary>
    private FaceTemplate ReadTemplate(NpgsqlDataReader reader, string subjectId, int first)
    {
        var templateId = reader.GetString(first);
        var keyId = reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7);
        return new FaceTemplate(
            templateId, subjectId, sealer.OpenEmbedding(keyId, templateId, reader.GetFieldValue<byte[]>(first + 1)), reader.GetString(first + 2),
            reader.GetString(first + 3), reader.GetFieldValue<DateTimeOffset>(first + 4),
            JsonSerializer.Deserialize<TemplateQuality>(reader.GetString(first + 5))!,
            reader.IsDBNull(first + 6) ? null : reader.GetFieldValue<byte[]>(first + 6),
            keyId);
    }
}
