using System.Numerics.Tensors;
using IdVerify.Core.Matching;
using IdVerify.Core.Templates;
using Npgsql;

namespace IdVerify.Core.Tests;

/// <summary>
/// The PostgreSQL gallery's pgvector search on real lfw_devtrain embeddings (padded with random unit vectors, so the HNSW
/// index has to find the few real faces among many more rows than it returns): the same top-1 as the exact scan, through a
/// data key rotation, and for rows stored before the search column existed.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class PostgresGalleryTests(PipelineFixture fixture) : IDisposable
{
    private const int People = 40;
    private const int Padding = 1500;

    private readonly PostgresStoreBackend backend = new();
    private readonly DataKeyRing keys = DataKeyRing.CreateNew();

    [Fact]
    public async Task Identify_through_the_index_returns_the_exact_scans_top_1()
    {
        var people = await EnrollAsync(keys);

        var found = await SearchAllAsync(new PostgresGallery(backend.Open(), keys), people);

        Assert.Equal(await ExactTop1Async(keys, people), found);
        Assert.True(found.Count(f => f.Match.SubjectId == f.Name) >= People * 3 / 4, $"{found.Count(f => f.Match.SubjectId == f.Name)} of {People} at rank 1");
        Assert.Equal(1, Convert.ToInt32(await ScalarAsync("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'templates_search_128'")));
    }

    [Fact]
    public async Task Rotate_data_renews_every_search_copy_and_identify_keeps_working()
    {
        var people = await EnrollAsync(keys);
        var before = await SearchCopiesAsync();
        var both = keys.WithNewKey("dk-next");

        var rotation = await backend.Templates(both).RotateAsync("dk-next");

        var after = await SearchCopiesAsync();
        Assert.Equal(People + Padding, rotation.Rows);
        // The same template under the two keys' rotations: nothing links them (cosine near 0, about ±1/√128).
        var linked = before.Keys.Select(id => MathF.Abs(TensorPrimitives.CosineSimilarity(before[id], after[id]))).ToList();
        Assert.True(linked.Average() < 0.12 && linked.Max() < 0.5, $"mean |cos| {linked.Average():F3}, max {linked.Max():F3}");
        var retired = both.Retain("dk-next");
        Assert.Equal(await ExactTop1Async(retired, people), await SearchAllAsync(new PostgresGallery(backend.Open(), retired), people));
    }

    [Fact]
    public async Task Rows_stored_before_the_search_column_get_their_copy_and_are_found()
    {
        var people = await EnrollAsync(keys);
        await ScalarAsync("UPDATE templates SET search_vector = NULL WHERE subject_id LIKE 'synthetic-%' OR subject_id < 'B'");

        var gallery = new PostgresGallery(backend.Open(), keys);
        var found = await SearchAllAsync(gallery, people);

        Assert.Equal(await ExactTop1Async(keys, people), found);
        Assert.Equal(0, Convert.ToInt32(await ScalarAsync("SELECT COUNT(*) FROM templates WHERE search_vector IS NULL")));
    }

    [Fact]
    public async Task A_row_never_given_a_search_copy_is_still_scored_exactly()
    {
        var people = await EnrollAsync(keys);
        var gallery = new PostgresGallery(backend.Open(), keys);
        await SearchAllAsync(gallery, people.Take(1).ToList());
        // As an instance of an older version would write it, after this one prepared its index.
        await ScalarAsync($"UPDATE templates SET search_vector = NULL WHERE subject_id = '{people[^1].Name}'");

        var found = await gallery.SearchAsync(new GalleryQuery(fixture.Pipeline.Embedder.Model, people[^1].Probe, 1, TemplateAggregation.Max));

        Assert.Equal((await ExactTop1Async(keys, people))[^1].Match, found.Matches[0]);
        Assert.Equal(People + Padding, found.GallerySize);
    }

    [Fact]
    public async Task The_gallery_size_follows_every_write_of_every_instance()
    {
        var people = LfwEmbeddings.Of(fixture.Pipeline, 3);
        var embedder = fixture.Pipeline.Embedder.Model;
        FaceTemplate Template(string subject, float[] embedding, string embedderSha256) => new(Guid.NewGuid().ToString("N"), subject, embedding,
            embedder.Id, embedderSha256, DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f));
        var one = backend.Templates(keys);
        var other = backend.Templates(keys);
        var gallery = new PostgresGallery(backend.Open(), keys);
        async Task<int> Size(string? exclude = null) =>
            (await gallery.SearchAsync(new GalleryQuery(embedder, people[0].Probe, 1, TemplateAggregation.Max, exclude))).GallerySize;

        await one.AddTemplatesAsync("a", [Template("a", people[0].Enrolled, embedder.Sha256), Template("a", people[0].Probe, embedder.Sha256)], false, 10);
        await other.AddTemplatesAsync("b", [Template("b", people[1].Enrolled, embedder.Sha256)], false, 10);
        await other.AddTemplatesAsync("b", [Template("b", people[1].Probe, embedder.Sha256)], false, 10);
        // Another embedder's templates (a migration in progress) are another gallery.
        await one.AddTemplatesAsync("c", [Template("c", people[2].Enrolled, "another-embedder")], false, 10);
        Assert.Equal((2, 1), (await Size(), await Size(exclude: "a")));

        await one.AddTemplatesAsync("c", [Template("c", people[2].Probe, embedder.Sha256)], false, 10);
        await other.AddTemplatesAsync("a", [Template("a", people[0].Probe, embedder.Sha256)], replace: true, 10);
        Assert.Equal(3, await Size());
        await other.AddTemplatesAsync("c", [Template("c", people[2].Probe, "another-embedder")], replace: true, 10);
        Assert.Equal(2, await Size());

        Assert.True(await one.DeleteSubjectAsync("b"));
        Assert.Equal((1, 0), (await Size(), await Size(exclude: "a")));
    }

    private async Task<IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)>> EnrollAsync(DataKeyRing ring)
    {
        var people = LfwEmbeddings.Of(fixture.Pipeline, People);
        var store = backend.Templates(ring);
        var embedder = fixture.Pipeline.Embedder.Model;
        var random = new Random(14);
        var subjects = people.Select(p => (p.Name, p.Enrolled))
            .Concat(Enumerable.Range(0, Padding).Select(i => ($"synthetic-{i:D5}", RandomUnit(random, people[0].Enrolled.Length))));
        foreach (var (name, embedding) in subjects)
        {
            await store.AddTemplatesAsync(name, [new FaceTemplate(Guid.NewGuid().ToString("N"), name, embedding, embedder.Id, embedder.Sha256,
                DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f))], replace: false, maxTemplates: 10);
        }

        return people;
    }

    private async Task<List<(string Name, GalleryMatch Match)>> SearchAllAsync(PostgresGallery gallery,
        IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)> people)
    {
        var found = new List<(string, GalleryMatch)>();
        foreach (var (name, _, probe) in people)
        {
            var search = await gallery.SearchAsync(new GalleryQuery(fixture.Pipeline.Embedder.Model, probe, 1, TemplateAggregation.Max));
            Assert.Equal(People + Padding, search.GallerySize);
            found.Add((name, search.Matches[0]));
        }

        return found;
    }

    /// <summary>The exact scan over every stored template, as the SQLite provider searches.</summary>
    private async Task<List<(string Name, GalleryMatch Match)>> ExactTop1Async(DataKeyRing ring, IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)> people)
    {
        var all = (await backend.Templates(ring).ListTemplatesAsync()).GroupBy(t => t.SubjectId)
            .Select(s => (s.Key, (IReadOnlyList<float[]>)s.Select(t => t.Embedding).ToList())).ToList();
        return people.Select(p => (p.Name, GalleryScan.Run(new GalleryQuery(fixture.Pipeline.Embedder.Model, p.Probe, 1, TemplateAggregation.Max), all).Matches[0]))
            .ToList();
    }

    private async Task<Dictionary<string, float[]>> SearchCopiesAsync()
    {
        await using var connection = new NpgsqlConnection(backend.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT template_id, search_vector::real[] FROM templates", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var copies = new Dictionary<string, float[]>();
        while (await reader.ReadAsync())
        {
            copies[reader.GetString(0)] = reader.GetFieldValue<float[]>(1);
        }

        return copies;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(backend.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var v = Enumerable.Range(0, dimensions).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    public void Dispose() => backend.Dispose();
}
