using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Templates;

/// <summary>
/// The service's one SQLite file, in WAL mode, behind <see cref="SqliteTemplateStore"/>, <see cref="SqliteDecisionLog"/>,
/// <see cref="SqliteChallengeStore"/> and <see cref="SqliteAuditLog"/>: the connection settings, the pragmas and the schema (created and migrated on open) live
/// here and nowhere else. Writers take the database lock up front (BEGIN IMMEDIATE, <c>BeginTransaction(deferred: false)</c>),
/// so concurrent writes serialise instead of failing half-way.
/// </summary>
public sealed class SqliteDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS api_keys (
            name TEXT PRIMARY KEY,
            secret_sha256 BLOB NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            last_used_at TEXT,
            revoked_at TEXT
        );
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
            face_crop BLOB,
            key_id TEXT
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
        CREATE TABLE IF NOT EXISTS subject_attempts (
            subject_id TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            locked_until TEXT
        );
        CREATE TABLE IF NOT EXISTS audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL,
            subject_id TEXT,
            actor TEXT,
            request_id TEXT,
            details TEXT NOT NULL,
            key_id TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS audit_log_subject ON audit_log(subject_id, seq);
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """;

    private readonly string connectionString;

    /// <summary>Opens (or creates) the file and brings its schema up to date.</summary>
    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        CreateOwnerOnly(Path);
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

        // Files from before crops were kept, or before rows were sealed, gain the column; nothing else changes.
        AddColumnIfMissing(connection, "templates", "face_crop", "BLOB");
        AddColumnIfMissing(connection, "templates", "key_id", "TEXT");
    }

    public string Path { get; }

    /// <summary>
    /// The file holds biometric templates (sealed) and the audit trail: readable by the service's user only (0600, its
    /// folder 0700 when created here). SQLite gives its -wal and -shm files the database file's mode.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(path))
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        if (Convert.ToInt32(Scalar(connection, null, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"),
                CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, null, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
    }

    /// <summary>An open connection with foreign keys enforced and a 30 s busy timeout; the caller disposes it.</summary>
    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    internal static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Prepare(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>Timestamps are stored as round-trip ISO 8601 text in UTC.</summary>
    internal static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

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
}
