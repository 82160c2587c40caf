using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Subjects and templates in the <c>subjects</c> and <c>templates</c> tables of <see cref="SqliteDatabase"/>. Each write is one
/// immediate transaction, so concurrent enrollments of one subject serialise and never lose or duplicate a template.
/// Embeddings are sealed with the data key ring (the row's key id stored beside it), so the file holds no template in clear.
/// </summary>
public sealed class SqliteTemplateStore(SqliteDatabase database, DataKeyRing keys, TimeProvider? time = null) : ITemplateStore
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly TemplateSealer sealer = new(keys);

    /// <summary>The writes that search the gallery first, one at a time; the gallery has seen each one's change when it is released.</summary>
    private readonly SemaphoreSlim checkedWrites = new(1, 1);

    /// <summary>A subject's templates changed (added, replaced or erased), raised after the commit: the in-memory gallery follows it.</summary>
    public event Action<string>? SubjectChanged;

    public async Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return await ReadSubjectAsync(connection, null, subjectId, cancellationToken);
    }

    public async Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        Action<Subject?>? guard = null, Func<CancellationToken, Task>? exclusiveCheck = null, CancellationToken cancellationToken = default)
    {
        if (exclusiveCheck is null)
        {
            return await WriteTemplatesAsync(subjectId, templates, replace, maxTemplates, guard, cancellationToken);
        }

        await checkedWrites.WaitAsync(cancellationToken);
        try
        {
            await exclusiveCheck(cancellationToken);
            return await WriteTemplatesAsync(subjectId, templates, replace, maxTemplates, guard, cancellationToken);
        }
        finally
        {
            checkedWrites.Release();
        }
    }

    private async Task<Subject> WriteTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        Action<Subject?>? guard, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(clock.GetUtcNow());
        if (guard is not null)
        {
            guard(await ReadSubjectAsync(connection, transaction, subjectId, cancellationToken));
        }

        if (replace)
        {
            Execute(connection, transaction, "DELETE FROM templates WHERE subject_id = $s", ("$s", subjectId));
        }

        var existing = Convert.ToInt32(Scalar(connection, transaction,
            "SELECT COUNT(*) FROM templates WHERE subject_id = $s", ("$s", subjectId)), CultureInfo.InvariantCulture);
        TemplateSealer.CheckLimit(subjectId, existing, templates.Count, maxTemplates);

        Execute(connection, transaction, """
            INSERT INTO subjects (subject_id, created_at, updated_at) VALUES ($s, $t, $t)
            ON CONFLICT(subject_id) DO UPDATE SET updated_at = excluded.updated_at
            """, ("$s", subjectId), ("$t", now));

        foreach (var template in templates)
        {
            // A crop arrives sealed under its key; the embedding is sealed under the same one, so a row has one key id.
            var keyId = template.KeyId ?? keys.ActiveId;
            Execute(connection, transaction, """
                INSERT INTO templates (template_id, subject_id, embedding, dimensions, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id)
                VALUES ($id, $s, $e, $d, $m, $h, $t, $q, $c, $k)
                """,
                ("$id", template.TemplateId), ("$s", subjectId), ("$e", sealer.SealEmbedding(keyId, template.TemplateId, template.Embedding)),
                ("$d", template.Embedding.Length), ("$m", template.EmbedderId), ("$h", template.EmbedderSha256),
                ("$t", Timestamp(template.CreatedAt)), ("$q", JsonSerializer.Serialize(template.Quality)),
                ("$c", (object?)template.ProtectedCrop ?? DBNull.Value), ("$k", keyId));
        }

        var subject = await ReadSubjectAsync(connection, transaction, subjectId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SubjectChanged?.Invoke(subjectId);
        return subject!;
    }

    public async Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        // Erasure is one transaction: templates with their crops, the attempt count and lock state, then the subject.
        Execute(connection, transaction, "DELETE FROM templates WHERE subject_id = $s", ("$s", subjectId));
        Execute(connection, transaction, "DELETE FROM subject_attempts WHERE subject_id = $s", ("$s", subjectId));
        var deleted = Execute(connection, transaction, "DELETE FROM subjects WHERE subject_id = $s", ("$s", subjectId));
        await transaction.CommitAsync(cancellationToken);
        SubjectChanged?.Invoke(subjectId);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT subject_id, template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id
            FROM templates ORDER BY subject_id, created_at, template_id
            """;
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
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT embedder_id, COUNT(DISTINCT subject_id) FROM templates GROUP BY embedder_id ORDER BY embedder_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    private async Task<Subject?> ReadSubjectAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT s.created_at, s.updated_at, t.template_id, t.embedding, t.embedder_id, t.embedder_sha256, t.created_at, t.quality, t.face_crop, t.key_id
            FROM subjects s LEFT JOIN templates t ON t.subject_id = s.subject_id
            WHERE s.subject_id = $s ORDER BY t.created_at, t.template_id
            """;
        command.Parameters.AddWithValue("$s", subjectId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Subject? subject = null;
        var templates = new List<FaceTemplate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            subject ??= new Subject(subjectId, ParseTimestamp(reader.GetString(0)), ParseTimestamp(reader.GetString(1)), templates);
            if (reader.IsDBNull(2))
            {
                continue;
            }

            templates.Add(ReadTemplate(reader, subjectId, 2));
        }

        return subject;
    }

    public async Task<DataKeyRotation> RotateAsync(string targetKeyId, bool unsealedOnly = false, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var rows = new List<(FaceTemplate Template, byte[]? Crop)>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT subject_id, template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id
                FROM templates WHERE key_id IS NULL OR (key_id <> $k AND NOT $unsealed)
                """;
            command.Parameters.AddWithValue("$unsealed", unsealedOnly);
            command.Parameters.AddWithValue("$k", targetKeyId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
            Execute(connection, transaction, "UPDATE templates SET embedding = $e, face_crop = $c, key_id = $k WHERE template_id = $id",
                ("$e", sealer.SealEmbedding(targetKeyId, template.TemplateId, template.Embedding)), ("$c", (object?)crop ?? DBNull.Value),
                ("$k", targetKeyId), ("$id", template.TemplateId));
        }

        await transaction.CommitAsync(cancellationToken);
        return new DataKeyRotation(rows.Count, dropped);
    }

    /// <summary>Reads template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop, key_id from <paramref name="first"/> on.</summary>
    private FaceTemplate ReadTemplate(SqliteDataReader reader, string subjectId, int first)
    {
        var templateId = reader.GetString(first);
        var keyId = reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7);
        var embedding = sealer.OpenEmbedding(keyId, templateId, (byte[])reader.GetValue(first + 1));

        return new FaceTemplate(
            templateId, subjectId, embedding, reader.GetString(first + 2),
            reader.GetString(first + 3), ParseTimestamp(reader.GetString(first + 4)),
            JsonSerializer.Deserialize<TemplateQuality>(reader.GetString(first + 5))!,
            reader.IsDBNull(first + 6) ? null : (byte[])reader.GetValue(first + 6),
            keyId);
    }
}
