using IdVerify.Core.Audit;
using IdVerify.Core.Hosting;
using IdVerify.Core.Templates;
using IdVerify.Tests;
using Microsoft.Data.Sqlite;

namespace IdVerify.Cli.Tests;

public sealed class DataKeyRotationCliTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-rotate-").FullName;

    [Fact]
    public async Task Keys_rotate_data_reseals_every_template_with_a_new_key_and_retires_the_old_one()
    {
        var database = Path.Combine(root, "idverify.db");
        var old = DataKeySource.Resolve(new TemplateOptions(), database);
        var embedding = Enumerable.Range(0, 128).Select(i => MathF.Sin(i) / 8f).ToArray();
        await new SqliteTemplateStore(new SqliteDatabase(database), old).AddTemplatesAsync("lea",
            [new FaceTemplate("t-lea", "lea", embedding, "mobilefacenet-paddlex-128d", "6ced4e0c", DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f))],
            replace: false, maxTemplates: 10);

        var result = await CliRunner.RunAsync("keys", "rotate-data", "--db", database, "--to", "dk-2027", "--retire");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Re-sealed 1 templates with data key dk-2027", result.Output, StringComparison.Ordinal);
        var rotated = DataKeyRing.Load(Path.Combine(root, "data-keys.json"));
        Assert.Equal(["dk-2027"], rotated.Ids);
        SqliteConnection.ClearAllPools();
        var subject = await new SqliteTemplateStore(new SqliteDatabase(database), rotated).GetSubjectAsync("lea");
        Assert.Equal(embedding, subject!.Templates.Single().Embedding);

        // The rotation is in the audit log, with no key material.
        var record = Assert.Single((await new SqliteAuditLog(new SqliteDatabase(database), TimeProvider.System, null)
            .ReadAsync(new AuditFilter(Action: AuditActions.DataKeyRotate), new AuditPageRequest())).Records);
        Assert.Equal(("dk-2027", "1"), (record.Details["to"], record.Details["rows"]));
    }

    [Fact]
    public async Task Keys_rotate_data_on_postgres_reseals_every_template_and_renews_its_search_copy()
    {
        using var server = new PostgresTestDatabase();
        var keyFile = Path.Combine(root, "shared-keys.json");
        var old = DataKeyRing.CreateNew();
        old.Save(keyFile);
        var config = Path.Combine(root, "postgres.json");
        await File.WriteAllTextAsync(config, System.Text.Json.JsonSerializer.Serialize(new
        {
            Storage = new { Provider = "postgres", server.ConnectionString },
            Templates = new { DataKeyFile = keyFile },
        }));
        var embedding = Enumerable.Range(0, 128).Select(i => MathF.Sin(i) / 8f).ToArray();
        embedding = [.. embedding.Select(v => v / System.Numerics.Tensors.TensorPrimitives.Norm(embedding))];
        var model = IdVerify.Core.Models.ModelManifest.Load(TestData.Models.ManifestPath)
            .Get("mobilefacenet-paddlex-128d", IdVerify.Core.Models.ModelRoles.Embedder);
        using (var database = new PostgresDatabase(server.ConnectionString))
        {
            await new PostgresTemplateStore(database, old).AddTemplatesAsync("lea",
                [new FaceTemplate("t-lea", "lea", embedding, model.Id, model.Sha256, DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f))],
                replace: false, maxTemplates: 10);
        }

        var result = await CliRunner.RunAsync("keys", "rotate-data", "--config", config, "--to", "dk-2027", "--retire");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Re-sealed 1 templates with data key dk-2027", result.Output, StringComparison.Ordinal);
        var rotated = DataKeyRing.Load(keyFile);
        Assert.Equal(["dk-2027"], rotated.Ids);
        // The stored search copy is the new key's rotation of the template.
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("SELECT search_vector::real[] FROM templates WHERE template_id = 't-lea'", connection);
        var copy = (float[])(await read.ExecuteScalarAsync())!;
        var expected = new SearchRotation(rotated).Rotate("dk-2027", embedding);
        Assert.All(copy.Zip(expected), p => Assert.Equal(p.Second, p.First, 1e-6f));
        using var reopened = new PostgresDatabase(server.ConnectionString);
        var found = await new PostgresGallery(reopened, rotated).SearchAsync(
            new GalleryQuery(model, embedding, 1, IdVerify.Core.Matching.TemplateAggregation.Max));
        Assert.Equal("lea", found.Matches[0].SubjectId);
    }

    [Fact]
    public async Task Keys_rotate_data_answers_a_key_id_it_cannot_use_with_one_line_and_exit_2()
    {
        var database = Path.Combine(root, "idverify.db");
        _ = new SqliteDatabase(database);

        var result = await CliRunner.RunAsync("keys", "rotate-data", "--db", database, "--to", "no spaces allowed");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
