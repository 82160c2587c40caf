using System.Runtime.CompilerServices;

namespace IdVerify.Api.Tests;

/// <summary>
/// The hostile corpus through HTTP: each input gets its documented 4xx problem with a stable code (never a 5xx), and the
/// problem's detail repeats no parser message, type name or more than an id of the caller's input.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputApiTests(ApiFactory factory)
{
    private static readonly ConditionalWeakTable<ApiFactory, Task<string>> Subjects = [];
    private readonly HttpClient client = factory.CreateClient();

    public static TheoryData<string> Corpus => HostileCorpus.Names;

    /// <summary>One subject enrolled once per service, so a verify fails on its input rather than on the subject.</summary>
    public static async Task<string> EnrollAsync(HttpClient client)
    {
        var subject = "hostile-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, "azure_face_samples/Family1-Dad3.jpg"))).EnsureSuccessStatusCode();
        return subject;
    }

    private Task<string> Subject() => Subjects.GetValue(factory, f => EnrollAsync(f.CreateClient()));

    [Fact]
    public async Task A_refused_request_writes_nothing()
    {
        // Enroll cases carry the enrolled subject's id (or victim, flood, bomb): none may add a template or a subject.
        var subject = await EnrollAsync(client);
        foreach (var hostile in HostileCorpus.All.Values)
        {
            using var response = await client.SendAsync(hostile.Build(subject));
            Assert.True((int)response.StatusCode >= 400, hostile.Name);
        }

        Assert.Equal(1, (await (await client.GetAsync($"/v1/subjects/{subject}")).Json()).GetProperty("templateCount").GetInt32());
        foreach (var other in new[] { "victim", "flood" })
        {
            await (await client.GetAsync($"/v1/subjects/{other}")).AssertProblem(404, "subject_not_found");
        }
    }

    [Fact]
    public void The_corpus_holds_at_least_fifty_hostile_inputs() => Assert.True(HostileCorpus.All.Count >= 50, $"{HostileCorpus.All.Count} cases");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Each_hostile_input_gets_its_documented_problem(string name)
    {
        var hostile = HostileCorpus.All[name];
        using var response = await client.SendAsync(hostile.Build(await Subject()));

        var problem = await response.AssertProblem(hostile.Status, hostile.Code);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(detail.Length <= 300, $"{detail.Length} characters of detail: {detail[..Math.Min(detail.Length, 200)]}…");
        foreach (var leak in new[] { "Exception", "System.", "SixLabors", "Path: $", "LineNumber", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
        {
            Assert.DoesNotContain(leak, detail, StringComparison.Ordinal);
        }
    }
}
