using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

public sealed class SqliteTemplateStoreTests : IDisposable
{
    private readonly TempDatabase database = new();

    private readonly DataKeyRing keys = DataKeyRing.CreateNew();

    private SqliteTemplateStore NewStore() => new(database.Open(), keys);

    private static FaceTemplate Template(string subjectId, float seed) => new(
        Guid.NewGuid().ToString("N"), subjectId, Enumerable.Range(0, 128).Select(i => MathF.Sin(seed + i)).ToArray(),
        "mobilefacenet-paddlex-128d", "6ced4e0c", DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f));

    [Fact]
    public async Task Templates_survive_a_reopen_bit_for_bit()
    {
        var template = Template("alice", 1);
        await NewStore().AddTemplatesAsync("alice", [template], replace: false, maxTemplates: 10);

        var subject = await NewStore().GetSubjectAsync("alice");

        var stored = Assert.Single(subject!.Templates);
        Assert.Equal(template.Embedding, stored.Embedding);
        Assert.Equal(template.EmbedderId, stored.EmbedderId);
        Assert.Equal(template.Quality, stored.Quality);
    }

    [Fact]
    public async Task A_second_enrollment_adds_and_replace_starts_over()
    {
        var store = NewStore();
        await store.AddTemplatesAsync("bob", [Template("bob", 1), Template("bob", 2)], replace: false, maxTemplates: 10);
        var added = await store.AddTemplatesAsync("bob", [Template("bob", 3)], replace: false, maxTemplates: 10);
        var replaced = await store.AddTemplatesAsync("bob", [Template("bob", 4)], replace: true, maxTemplates: 10);

        Assert.Equal(3, added.Templates.Count);
        Assert.Single(replaced.Templates);
    }

    [Fact]
    public async Task Going_past_the_template_limit_is_refused_and_changes_nothing()
    {
        var store = NewStore();
        await store.AddTemplatesAsync("carol", [Template("carol", 1), Template("carol", 2)], replace: false, maxTemplates: 3);

        var error = await Assert.ThrowsAsync<IdVerifyException>(() =>
            store.AddTemplatesAsync("carol", [Template("carol", 3), Template("carol", 4)], replace: false, maxTemplates: 3));

        Assert.Equal(ErrorCodes.TooManyTemplates, error.Code);
        Assert.Equal(2, (await store.GetSubjectAsync("carol"))!.Templates.Count);
    }

    [Fact]
    public async Task Concurrent_enrollments_of_one_subject_never_lose_or_duplicate_a_template()
    {
        const int writers = 24;
        const int limit = 10;
        var stores = Enumerable.Range(0, 4).Select(_ => NewStore()).ToArray();
        var templates = Enumerable.Range(0, writers).Select(i => Template("dave", i)).ToArray();

        var outcomes = await Task.WhenAll(templates.Select((t, i) => Task.Run(async () =>
        {
            try
            {
                await stores[i % stores.Length].AddTemplatesAsync("dave", [t], replace: false, maxTemplates: limit);
                return true;
            }
            catch (IdVerifyException ex) when (ex.Code == ErrorCodes.TooManyTemplates)
            {
                return false;
            }
        })));

        var subject = await stores[0].GetSubjectAsync("dave");
        var storedIds = subject!.Templates.Select(t => t.TemplateId).ToList();
        var acceptedIds = templates.Where((_, i) => outcomes[i]).Select(t => t.TemplateId).ToList();
        Assert.Equal(limit, outcomes.Count(o => o));
        Assert.Equal(limit, storedIds.Distinct().Count());
        Assert.Equal(acceptedIds.Order(), storedIds.Order());
    }

    [Fact]
    public async Task Deleting_a_subject_erases_its_templates()
    {
        var store = NewStore();
        await store.AddTemplatesAsync("erin", [Template("erin", 1)], replace: false, maxTemplates: 10);

        Assert.True(await store.DeleteSubjectAsync("erin"));
        Assert.Null(await store.GetSubjectAsync("erin"));
        Assert.False(await store.DeleteSubjectAsync("erin"));

        // Re-enrolling after erasure starts from nothing: no template came back with the subject.
        var again = await store.AddTemplatesAsync("erin", [Template("erin", 2)], replace: false, maxTemplates: 10);
        Assert.Single(again.Templates);
    }

    public void Dispose() => database.Dispose();
}
