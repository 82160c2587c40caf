using IdVerify.Core.Hosting;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

/// <summary>Templates sealed at rest: a row opens only with its own key, a rotation re-seals every row, a missing key fails closed.</summary>
public sealed class SealedTemplateTests : IDisposable
{
    private readonly TempDatabase database = new();
    private readonly string folder = Directory.CreateTempSubdirectory("idverify-keys-").FullName;

    private static FaceTemplate Template(string subjectId, float seed) => new(
        Guid.NewGuid().ToString("N"), subjectId, Enumerable.Range(0, 128).Select(i => MathF.Cos(seed * i)).ToArray(),
        "mobilefacenet-paddlex-128d", "6ced4e0c", DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f));

    [Fact]
    public async Task A_rotation_reseals_every_row_and_the_retired_key_is_no_longer_needed()
    {
        var old = DataKeyRing.CreateNew();
        var template = Template("ines", 1);
        await new SqliteTemplateStore(database.Open(), old).AddTemplatesAsync("ines", [template], replace: false, maxTemplates: 10);

        var both = old.WithNewKey("dk-next");
        var rotation = await new SqliteTemplateStore(database.Open(), both).RotateAsync("dk-next");

        Assert.Equal(new DataKeyRotation(1, 0), rotation);
        var reopened = await new SqliteTemplateStore(database.Open(), both.Retain("dk-next")).GetSubjectAsync("ines");
        Assert.Equal(template.Embedding, reopened!.Templates.Single().Embedding);
        Assert.Equal("dk-next", reopened.Templates.Single().KeyId);
    }

    [Fact]
    public async Task A_row_whose_key_is_missing_fails_closed_with_a_clear_code()
    {
        await new SqliteTemplateStore(database.Open(), DataKeyRing.CreateNew()).AddTemplatesAsync("jon", [Template("jon", 2)], replace: false, maxTemplates: 10);

        var error = await Assert.ThrowsAsync<IdVerifyException>(() =>
            new SqliteTemplateStore(database.Open(), DataKeyRing.CreateNew()).GetSubjectAsync("jon"));

        Assert.Equal(ErrorCodes.DataKeyMissing, error.Code);
        Assert.Contains("not configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sealed_embedding_moved_to_another_row_does_not_open()
    {
        var keys = DataKeyRing.CreateNew();
        var store = new SqliteTemplateStore(database.Open(), keys);
        await store.AddTemplatesAsync("kim", [Template("kim", 3), Template("kim", 4)], replace: false, maxTemplates: 10);

        // Swap the two sealed blobs with raw SQL, as someone with write access to the file might.
        using (var connection = database.Open().Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE templates SET embedding = (SELECT embedding FROM templates t2 WHERE t2.template_id <> templates.template_id)
                WHERE subject_id = 'kim'
                """;
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<IdVerifyException>(() => store.GetSubjectAsync("kim"));
        Assert.Equal(ErrorCodes.DataKeyMissing, error.Code);
    }

    [Fact]
    public void The_key_file_is_created_on_first_use_readable_by_its_owner_only()
    {
        var sqlite = Path.Combine(folder, "idverify.db");

        var created = DataKeySource.Resolve(new TemplateOptions(), sqlite);
        var loaded = DataKeySource.Resolve(new TemplateOptions(), sqlite);

        var file = Path.Combine(folder, "data-keys.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(created.ActiveId, loaded.ActiveId);
    }

    [Fact]
    public void The_database_file_and_its_logs_are_readable_by_their_owner_only()
    {
        var path = Path.Combine(folder, "data", "idverify.db");
        var sqlite = new SqliteDatabase(path);
        using (var connection = sqlite.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO subjects VALUES ('m', 'x', 'x')";
            command.ExecuteNonQuery();
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void Configured_keys_take_the_place_of_the_key_file()
    {
        var options = new TemplateOptions { DataKeys = { ["vault-1"] = Convert.ToBase64String(new byte[32]) } };

        var ring = DataKeySource.Resolve(options, Path.Combine(folder, "idverify.db"));

        Assert.Equal("vault-1", ring.ActiveId);
        Assert.False(File.Exists(Path.Combine(folder, "data-keys.json")));
    }

    public void Dispose()
    {
        database.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
