using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabase database = new();

    [Fact]
    public void One_file_holds_every_table_in_wal_mode()
    {
        var sqlite = database.Open();
        using var connection = sqlite.Open();

        Assert.Equal("wal", Query(connection, "PRAGMA journal_mode").Single());
        Assert.Equal(["api_keys", "audit_log", "challenges", "decisions", "sqlite_sequence", "subject_attempts", "subjects", "templates"],
            Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    }

    [Fact]
    public async Task A_file_from_before_face_crops_gains_the_column_and_keeps_its_templates()
    {
        using (var old = new SqliteConnection($"Data Source={database.Path}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE subjects (subject_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE templates (
                    template_id TEXT PRIMARY KEY,
                    subject_id TEXT NOT NULL REFERENCES subjects(subject_id) ON DELETE CASCADE,
                    embedding BLOB NOT NULL,
                    dimensions INTEGER NOT NULL,
                    embedder_id TEXT NOT NULL,
                    embedder_sha256 TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    quality TEXT NOT NULL
                );
                INSERT INTO subjects VALUES ('hank', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:00.0000000Z');
                INSERT INTO templates VALUES ('t1', 'hank', zeroblob(512), 128, 'mobilefacenet-paddlex-128d', '6ced4e0c',
                    '2025-01-01T00:00:00.0000000Z', '{"DetectionScore":0.9,"FaceWidth":120,"FaceHeight":150,"InterEyeDistance":60,"LivenessScore":0.98}');
                """;
            command.ExecuteNonQuery();
        }

        var subject = await new SqliteTemplateStore(database.Open(), DataKeyRing.CreateNew()).GetSubjectAsync("hank");

        var template = Assert.Single(subject!.Templates);
        Assert.Equal(128, template.Embedding.Length);
        Assert.Null(template.ProtectedCrop);
        var sqlite = database.Open();
        using var connection = sqlite.Open();
        Assert.Contains("face_crop", Query(connection, "SELECT name FROM pragma_table_info('templates')"));
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public void Dispose() => database.Dispose();
}
