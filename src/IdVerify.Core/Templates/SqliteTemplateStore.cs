using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Subjects and templates in the <c>subjects</c> and <c>templates</c> tables of <see cref="SqliteDatabase"/>. Each write is one
/// immediate transaction, so concurrent enrollments of one subject serialise and never lose or duplicate a template.
/// </summary>
public sealed class SqliteTemplateStore(SqliteDatabase database, TimeProvider? time = null) : ITemplateStore
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public async Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return await ReadSubjectAsync(connection, null, subjectId, cancellationToken);
    }

    public async Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(clock.GetUtcNow());

        if (replace)
        {
            Execute(connection, transaction, "DELETE FROM templates WHERE subject_id = $s", ("$s", subjectId));
        }

        var existing = Convert.ToInt32(Scalar(connection, transaction,
            "SELECT COUNT(*) FROM templates WHERE subject_id = $s", ("$s", subjectId)), CultureInfo.InvariantCulture);
        if (existing + templates.Count > maxTemplates)
        {
            throw new IdVerifyException(ErrorCodes.TooManyTemplates,
                $"Subject '{subjectId}' has {existing} templates; adding {templates.Count} would pass the limit of {maxTemplates}. " +
                "Enroll with ?replace=true to start over.");
        }

        Execute(connection, transaction, """
            INSERT INTO subjects (subject_id, created_at, updated_at) VALUES ($s, $t, $t)
            ON CONFLICT(subject_id) DO UPDATE SET updated_at = excluded.updated_at
            """, ("$s", subjectId), ("$t", now));

        foreach (var template in templates)
        {
            Execute(connection, transaction, """
                INSERT INTO templates (template_id, subject_id, embedding, dimensions, embedder_id, embedder_sha256, created_at, quality, face_crop)
                VALUES ($id, $s, $e, $d, $m, $h, $t, $q, $c)
                """,
                ("$id", template.TemplateId), ("$s", subjectId), ("$e", MemoryMarshal.AsBytes(template.Embedding.AsSpan()).ToArray()),
                ("$d", template.Embedding.Length), ("$m", template.EmbedderId), ("$h", template.EmbedderSha256),
                ("$t", Timestamp(template.CreatedAt)), ("$q", JsonSerializer.Serialize(template.Quality)),
                ("$c", (object?)template.ProtectedCrop ?? DBNull.Value));
        }

        var subject = await ReadSubjectAsync(connection, transaction, subjectId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return subject!;
    }

    public async Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "DELETE FROM templates WHERE subject_id = $s", ("$s", subjectId));
        var deleted = Execute(connection, transaction, "DELETE FROM subjects WHERE subject_id = $s", ("$s", subjectId));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT subject_id, template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop
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

    private static async Task<Subject?> ReadSubjectAsync(SqliteConnection connection, SqliteTransaction? transaction, string subjectId,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT s.created_at, s.updated_at, t.template_id, t.embedding, t.embedder_id, t.embedder_sha256, t.created_at, t.quality, t.face_crop
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

    /// <summary>Reads template_id, embedding, embedder_id, embedder_sha256, created_at, quality, face_crop from <paramref name="first"/> on.</summary>
    private static FaceTemplate ReadTemplate(SqliteDataReader reader, string subjectId, int first)
    {
        var blob = (byte[])reader.GetValue(first + 1);
        return new FaceTemplate(
            reader.GetString(first), subjectId, MemoryMarshal.Cast<byte, float>(blob).ToArray(), reader.GetString(first + 2),
            reader.GetString(first + 3), ParseTimestamp(reader.GetString(first + 4)),
            JsonSerializer.Deserialize<TemplateQuality>(reader.GetString(first + 5))!,
            reader.IsDBNull(first + 6) ? null : (byte[])reader.GetValue(first + 6));
    }
}
