using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using IdVerify.Core.Liveness;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Templates;

/// <summary>
/// The embedded template store: one SQLite file in WAL mode. Writers take the database lock up front
/// (BEGIN IMMEDIATE), so concurrent enrollments of one subject serialise and never lose or duplicate a template.
/// </summary>
public sealed class SqliteTemplateStore : ITemplateStore, IChallengeStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS subjects (
            subject_id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS templates (
            template_id TEXT PRIMARY KEY,
            subject_id TEXT NOT NULL REFERENCES subjects(subject_id) ON DELETE CASCADE,
            embedding BLOB NOT NULL,
            dimensions INTEGER NOT NULL,
            embedder_id TEXT NOT NULL,
            embedder_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            quality TEXT NOT NULL,
            face_crop BLOB
        );
        CREATE INDEX IF NOT EXISTS templates_subject ON templates(subject_id);
        CREATE TABLE IF NOT EXISTS decisions (
            decision_id TEXT PRIMARY KEY,
            subject_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            verified INTEGER NOT NULL,
            match INTEGER NOT NULL,
            score REAL NOT NULL,
            threshold REAL NOT NULL,
            fmr_target REAL NOT NULL,
            liveness_passed INTEGER NOT NULL,
            liveness_score REAL NOT NULL,
            detector_id TEXT NOT NULL,
            embedder_id TEXT NOT NULL,
            liveness_id TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS decisions_subject ON decisions(subject_id, created_at);
        CREATE TABLE IF NOT EXISTS challenges (
            challenge_id TEXT PRIMARY KEY,
            nonce TEXT NOT NULL,
            subject_id TEXT,
            actions TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        """;

    private readonly string connectionString;
    private readonly TimeProvider time;

    public SqliteTemplateStore(string path, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        Execute(connection, null, Schema);

        // Files created before crops could be kept gain the column; nothing else changes.
        if (Convert.ToInt32(Scalar(connection, null, "SELECT COUNT(*) FROM pragma_table_info('templates') WHERE name = 'face_crop'"),
                CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, null, "ALTER TABLE templates ADD COLUMN face_crop BLOB");
        }
    }

    public string Path { get; }

    public async Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        return await ReadSubjectAsync(connection, null, subjectId, cancellationToken);
    }

    public async Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var now = Timestamp(time.GetUtcNow());

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
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "DELETE FROM templates WHERE subject_id = $s", ("$s", subjectId));
        var deleted = Execute(connection, transaction, "DELETE FROM subjects WHERE subject_id = $s", ("$s", subjectId));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public Task RecordDecisionAsync(DecisionRecord d, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        Execute(connection, null, """
            INSERT INTO decisions (decision_id, subject_id, created_at, verified, match, score, threshold, fmr_target,
                liveness_passed, liveness_score, detector_id, embedder_id, liveness_id)
            VALUES ($id, $s, $t, $v, $m, $sc, $th, $f, $lp, $ls, $det, $emb, $liv)
            """,
            ("$id", d.DecisionId), ("$s", d.SubjectId), ("$t", Timestamp(d.CreatedAt)), ("$v", d.Verified), ("$m", d.Match),
            ("$sc", d.Score), ("$th", d.Threshold), ("$f", d.FmrTarget), ("$lp", d.LivenessPassed), ("$ls", d.LivenessScore),
            ("$det", d.DetectorId), ("$emb", d.EmbedderId), ("$liv", d.LivenessId));
        return Task.CompletedTask;
    }

    public async Task<DecisionRecord?> GetDecisionAsync(string decisionId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT decision_id, subject_id, created_at, verified, match, score, threshold, fmr_target,
                   liveness_passed, liveness_score, detector_id, embedder_id, liveness_id
            FROM decisions WHERE decision_id = $id
            """;
        command.Parameters.AddWithValue("$id", decisionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new DecisionRecord(reader.GetString(0), reader.GetString(1), ParseTimestamp(reader.GetString(2)),
            reader.GetBoolean(3), reader.GetBoolean(4), reader.GetFloat(5), reader.GetFloat(6), reader.GetDouble(7),
            reader.GetBoolean(8), reader.GetFloat(9), reader.GetString(10), reader.GetString(11), reader.GetString(12));
    }

    public Task SaveChallengeAsync(LivenessChallenge challenge, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        Execute(connection, null, """
            INSERT INTO challenges (challenge_id, nonce, subject_id, actions, created_at, expires_at)
            VALUES ($id, $n, $s, $a, $c, $e)
            """,
            ("$id", challenge.ChallengeId), ("$n", challenge.Nonce), ("$s", (object?)challenge.SubjectId ?? DBNull.Value),
            ("$a", JsonSerializer.Serialize(challenge.Actions)), ("$c", Timestamp(challenge.CreatedAt)), ("$e", Timestamp(challenge.ExpiresAt)));
        return Task.CompletedTask;
    }

    public async Task<LivenessChallenge> ConsumeChallengeAsync(string challengeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT nonce, subject_id, actions, created_at, expires_at, used_at FROM challenges WHERE challenge_id = $id";
        command.Parameters.AddWithValue("$id", challengeId);
        LivenessChallenge challenge;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new IdVerifyException(ErrorCodes.ChallengeNotFound, $"Challenge '{challengeId}' does not exist.");
            }

            if (!reader.IsDBNull(5))
            {
                throw new IdVerifyException(ErrorCodes.ChallengeUsed, $"Challenge '{challengeId}' was already used; request a new one.");
            }

            challenge = new LivenessChallenge(challengeId, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                JsonSerializer.Deserialize<string[]>(reader.GetString(2))!, ParseTimestamp(reader.GetString(3)), ParseTimestamp(reader.GetString(4)));
        }

        // Spent even when expired, so a late replay cannot be retried either.
        Execute(connection, transaction, "UPDATE challenges SET used_at = $t WHERE challenge_id = $id", ("$t", Timestamp(now)), ("$id", challengeId));
        await transaction.CommitAsync(cancellationToken);
        if (now >= challenge.ExpiresAt)
        {
            throw new IdVerifyException(ErrorCodes.ChallengeExpired, $"Challenge '{challengeId}' expired at {challenge.ExpiresAt:O}.");
        }

        return challenge;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;");
        return connection;
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

    public async Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
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
        await using var connection = Open();
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

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
