using Npgsql;

namespace IdVerify.Core.Templates;

/// <summary>
/// The shared PostgreSQL database behind the Postgres stores (<c>Storage:Provider=postgres</c>): one pooled
/// <see cref="NpgsqlDataSource"/> and the schema, migrated on open under a session advisory lock, so several instances
/// starting at once apply each step exactly once and the others wait for it. Each step is idempotent as well, and the
/// applied versions are recorded in <c>schema_migrations</c>.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>The advisory lock key of the migrations ("idverify" in ASCII); other locks use the two-key form.</summary>
    private const long MigrationLock = 0x6964766572696679;

    /// <summary>Two-key advisory lock class of one subject's template writes (the second key is the subject id's hash).</summary>
    internal const int SubjectLockClass = 1;

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS api_keys (
                name text PRIMARY KEY,
                secret_sha256 bytea NOT NULL UNIQUE,
                scopes text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                last_used_at timestamptz,
                revoked_at timestamptz
            );
            CREATE TABLE IF NOT EXISTS subjects (
                subject_id text PRIMARY KEY,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS templates (
                template_id text PRIMARY KEY,
                subject_id text NOT NULL REFERENCES subjects(subject_id) ON DELETE CASCADE,
                embedding bytea NOT NULL,
                dimensions integer NOT NULL,
                embedder_id text NOT NULL,
                embedder_sha256 text NOT NULL,
                created_at timestamptz NOT NULL,
                quality text NOT NULL,
                face_crop bytea,
                key_id text
            );
            CREATE INDEX IF NOT EXISTS templates_subject ON templates(subject_id);
            CREATE TABLE IF NOT EXISTS decisions (
                decision_id text PRIMARY KEY,
                subject_id text NOT NULL,
                created_at timestamptz NOT NULL,
                verified boolean NOT NULL,
                match boolean NOT NULL,
                score real NOT NULL,
                threshold real NOT NULL,
                fmr_target double precision NOT NULL,
                liveness_passed boolean NOT NULL,
                liveness_score real NOT NULL,
                detector_id text NOT NULL,
                embedder_id text NOT NULL,
                liveness_id text NOT NULL
            );
            CREATE INDEX IF NOT EXISTS decisions_subject ON decisions(subject_id, created_at);
            CREATE TABLE IF NOT EXISTS challenges (
                challenge_id text PRIMARY KEY,
                nonce text NOT NULL,
                subject_id text,
                actions text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                used_at timestamptz
            );
            CREATE TABLE IF NOT EXISTS subject_attempts (
                subject_id text PRIMARY KEY,
                failures integer NOT NULL,
                locked_until timestamptz
            );
            -- time is text: the hash is computed over exactly the stored string.
            CREATE TABLE IF NOT EXISTS audit_log (
                seq bigint PRIMARY KEY,
                time text NOT NULL,
                action text NOT NULL,
                outcome text NOT NULL,
                subject_id text,
                actor text,
                request_id text,
                details text NOT NULL,
                key_id text,
                prev_hash text NOT NULL,
                hash text NOT NULL
            );
            CREATE INDEX IF NOT EXISTS audit_log_subject ON audit_log(subject_id, seq);
            -- The highest sequence number ever handed out (SQLite's sqlite_sequence): a deleted tail stays visible. Its one row
            -- is also the appenders' lock, so appends from every instance serialise on it.
            CREATE TABLE IF NOT EXISTS audit_high_water (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                seq bigint NOT NULL
            );
            INSERT INTO audit_high_water (singleton, seq) VALUES (true, 0) ON CONFLICT DO NOTHING;
            CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
            CREATE OR REPLACE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
            CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
            """),
        (2, """
            -- pgvector: a no-op when a superuser has created it already (the service's role need not be one).
            CREATE EXTENSION IF NOT EXISTS vector;
            -- Each template's search copy, rotated under the row's data key (SearchRotation), never the embedding itself. Untyped,
            -- so embedders of any dimension share the column; PostgresGallery builds one HNSW index per dimension. NULL for a row
            -- not yet rotated (written before this column, or before rows were sealed): the gallery scores those exactly.
            ALTER TABLE templates ADD COLUMN IF NOT EXISTS search_vector vector;
            CREATE INDEX IF NOT EXISTS templates_embedder ON templates(embedder_id, embedder_sha256, key_id, subject_id);
            CREATE INDEX IF NOT EXISTS templates_unrotated ON templates(embedder_id, embedder_sha256) WHERE search_vector IS NULL;
            -- Subjects holding templates of each embedder: a search's gallery size (its threshold) in one row read, where
            -- COUNT(DISTINCT) grew with the gallery (200 ms at a million). Kept by a trigger, so every writer keeps it; exact,
            -- since every write of a subject's templates holds that subject's advisory lock.
            CREATE TABLE IF NOT EXISTS gallery_sizes (
                embedder_id text NOT NULL,
                embedder_sha256 text NOT NULL,
                subjects integer NOT NULL,
                PRIMARY KEY (embedder_id, embedder_sha256)
            );
            INSERT INTO gallery_sizes SELECT embedder_id, embedder_sha256, COUNT(DISTINCT subject_id) FROM templates GROUP BY 1, 2
                ON CONFLICT DO NOTHING;
            -- Per statement, over its transition table: a row trigger made a bulk load update the one counter row once per
            -- row of one transaction, each update walking every earlier version (quadratic). The per-subject count must use
            -- templates_subject: a table loaded in the same statement has no statistics, and a sequential scan per subject
            -- was quadratic again.
            CREATE OR REPLACE FUNCTION gallery_sizes_follow() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    -- A subject is new to an embedder when all of its templates of that embedder came in this statement.
                    INSERT INTO gallery_sizes
                    SELECT a.embedder_id, a.embedder_sha256, COUNT(*)
                    FROM (SELECT subject_id, embedder_id, embedder_sha256, COUNT(*) AS n FROM added GROUP BY 1, 2, 3) a
                    WHERE a.n = (SELECT COUNT(*) FROM templates t WHERE t.subject_id = a.subject_id AND t.embedder_id = a.embedder_id
                                 AND t.embedder_sha256 = a.embedder_sha256)
                    GROUP BY 1, 2
                    ON CONFLICT (embedder_id, embedder_sha256) DO UPDATE SET subjects = gallery_sizes.subjects + excluded.subjects;
                ELSE
                    UPDATE gallery_sizes g SET subjects = g.subjects - gone.subjects
                    FROM (SELECT r.embedder_id, r.embedder_sha256, COUNT(DISTINCT r.subject_id) AS subjects FROM removed r
                          WHERE NOT EXISTS (SELECT 1 FROM templates t WHERE t.subject_id = r.subject_id AND t.embedder_id = r.embedder_id
                              AND t.embedder_sha256 = r.embedder_sha256)
                          GROUP BY 1, 2) gone
                    WHERE g.embedder_id = gone.embedder_id AND g.embedder_sha256 = gone.embedder_sha256;
                END IF;
                RETURN NULL;
            END $$;
            CREATE OR REPLACE TRIGGER templates_gallery_sizes_added AFTER INSERT ON templates
                REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION gallery_sizes_follow();
            CREATE OR REPLACE TRIGGER templates_gallery_sizes_removed AFTER DELETE ON templates
                REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION gallery_sizes_follow();
            """),
    ];

    /// <summary>The oldest pgvector with iterative index scans, which keep a filtered HNSW search from coming back short.</summary>
    private static readonly Version MinimumVector = new(0, 8, 0);

    /// <summary>Two-key advisory lock class of the writes that search the gallery first (the duplicate check): one at a time.</summary>
    internal const int CheckedWriteLockClass = 3;

    /// <summary>Two-key advisory lock class of the search index work (filling rotated copies, building an index).</summary>
    internal const int SearchLockClass = 2;

    private readonly NpgsqlDataSource dataSource;

    /// <summary>Connects (pooled) and brings the schema up to date; a server that cannot be reached fails here, at start.</summary>
    public PostgresDatabase(string connectionString)
    {
        dataSource = NpgsqlDataSource.Create(connectionString);
        Migrate();
    }

    /// <summary>Schema versions applied, in order.</summary>
    public IReadOnlyList<int> AppliedVersions()
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private void Migrate()
    {
        using var connection = dataSource.OpenConnection();
        Execute(connection, null, "SELECT pg_advisory_lock(@k)", ("k", MigrationLock));
        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            foreach (var (version, sql) in Migrations)
            {
                using var transaction = connection.BeginTransaction();
                if (Scalar(connection, transaction, "SELECT 1 FROM schema_migrations WHERE version = @v", ("v", version)) is null)
                {
                    Execute(connection, transaction, sql);
                    Execute(connection, transaction, "INSERT INTO schema_migrations (version) VALUES (@v)", ("v", version));
                }

                transaction.Commit();
            }

            RequireVector(connection);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedFile
                                               or PostgresErrorCodes.FeatureNotSupported)
        {
            throw VectorMissing(connection.Database, ex.MessageText, ex);
        }
        finally
        {
            Execute(connection, null, "SELECT pg_advisory_unlock(@k)", ("k", MigrationLock));
        }
    }

    private static void RequireVector(NpgsqlConnection connection)
    {
        var installed = Scalar(connection, null, "SELECT extversion FROM pg_extension WHERE extname = 'vector'") as string;
        if (!Version.TryParse(installed, out var version) || version < MinimumVector)
        {
            throw VectorMissing(connection.Database, $"pgvector {installed} is installed", null);
        }
    }

    private static IdVerifyException VectorMissing(string database, string reason, Exception? inner) => new(ErrorCodes.InvalidRequest,
        $"Storage:Provider=postgres needs the pgvector extension, {MinimumVector} or later ({reason}). Install your distribution's " +
        $"package (postgresql-<version>-pgvector), then as a superuser run CREATE EXTENSION vector (or ALTER EXTENSION vector UPDATE) in database {database}.",
        inner);

    /// <summary>A pooled, open connection; the caller disposes it (back to the pool).</summary>
    internal ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => dataSource.OpenConnectionAsync(cancellationToken);

    internal static int Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Prepare(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Prepare(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    internal static NpgsqlCommand Prepare(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>timestamptz takes UTC only.</summary>
    internal static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    /// <summary>A nullable timestamptz column.</summary>
    internal static DateTimeOffset? ReadTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public void Dispose() => dataSource.Dispose();
}
