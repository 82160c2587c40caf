using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Models;
using IdVerify.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>
/// POST /v1/identify and Enrollment:DuplicateCheck on real photos through the real service, once per storage provider
/// (<see cref="SqliteIdentifyApiTests"/>, <see cref="PostgresIdentifyApiTests"/>): each test gets its own fresh store.
/// </summary>
public abstract class IdentifyApiTests : IDisposable
{
    private const string Obama = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string ObamaTest = "face_recognition/examples/knn_examples/test/obama1.jpg";
    private const string Biden = "face_recognition/examples/knn_examples/train/biden/biden.jpg";
    private const string Stranger = "face_recognition/examples/knn_examples/train/kit_harington/john1.jpeg";

    private readonly List<IDisposable> owned = [];

    /// <summary>A service on a store of its own, with these settings.</summary>
    protected abstract ApiFactory Start(Dictionary<string, string?> settings);

    protected T Own<T>(T disposable) where T : IDisposable
    {
        owned.Add(disposable);
        return disposable;
    }

    private ApiFactory Service(params (string Key, string Value)[] settings) =>
        Start(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    [Fact]
    public async Task Identify_finds_the_enrolled_person_at_rank_1_and_not_a_stranger()
    {
        var client = Service().CreateClient();
        await EnrollAsync(client, "alice", Obama);
        await EnrollAsync(client, "bob", Biden);

        var found = await IdentifyAsync(client, ObamaTest);
        Assert.True(found.GetProperty("identified").GetBoolean(), found.ToString());
        Assert.Equal("alice", found.GetProperty("candidates")[0].GetProperty("subjectId").GetString());
        Assert.Equal(2, found.GetProperty("gallerySize").GetInt32());
        Assert.All(found.GetProperty("candidates").EnumerateArray(),
            c => Assert.True(c.GetProperty("score").GetSingle() >= found.GetProperty("threshold").GetSingle()));

        var stranger = await IdentifyAsync(client, Stranger);
        Assert.False(stranger.GetProperty("identified").GetBoolean(), stranger.ToString());
        Assert.Empty(stranger.GetProperty("candidates").EnumerateArray());

        // Erasure leaves the gallery at once.
        (await client.DeleteAsync("/v1/subjects/alice")).EnsureSuccessStatusCode();
        var erased = await IdentifyAsync(client, ObamaTest);
        Assert.DoesNotContain(erased.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("subjectId").GetString() == "alice");
        Assert.Equal(1, erased.GetProperty("gallerySize").GetInt32());
    }

    [Fact]
    public async Task Identify_threshold_grows_with_gallery_size_and_refuses_a_target_no_calibration_meets()
    {
        var embedder = Embedder();
        var strictest = embedder.Calibration!.Min(p => p.Fmr);
        // With Matching at FMR 1e-2, FpirTarget 1e-2 takes the 1e-2 point for one subject and a stricter one for two.
        var factory = Service(("Matching:FmrTarget", "0.01"), ("Identify:FpirTarget", "0.01"), ("Enrollment:DuplicateCheck", "off"));
        var client = factory.CreateClient();
        await EnrollAsync(client, "alice", Obama);
        var one = await IdentifyAsync(client, ObamaTest);
        await EnrollAsync(client, "bob", Biden);
        var two = await IdentifyAsync(client, ObamaTest);

        Assert.Equal(1, one.GetProperty("gallerySize").GetInt32());
        Assert.Equal(0.01, one.GetProperty("fmr").GetDouble(), 9);
        Assert.Equal(2, two.GetProperty("gallerySize").GetInt32());
        Assert.True(two.GetProperty("fmr").GetDouble() <= 0.005, two.ToString());
        Assert.True(two.GetProperty("threshold").GetSingle() > one.GetProperty("threshold").GetSingle());
        Assert.Equal((float)embedder.Calibration!.Single(p => Math.Abs(p.Fmr - two.GetProperty("fmr").GetDouble()) < 1e-12).Threshold,
            two.GetProperty("threshold").GetSingle());

        // The strictest calibrated point serves one subject; two would need FMR below it: refused, not answered with a weak threshold.
        var strict = Service(("Identify:FpirTarget", strictest.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            ("Enrollment:DuplicateCheck", "off")).CreateClient();
        await EnrollAsync(strict, "alice", Obama);
        Assert.Equal(strictest, (await IdentifyAsync(strict, ObamaTest)).GetProperty("fmr").GetDouble(), 12);
        await EnrollAsync(strict, "bob", Biden);
        await (await Identify(strict, ObamaTest)).AssertProblem(409, "fpir_target_unreachable");
    }

    [Fact]
    public async Task Duplicate_check_refuse_answers_409_stores_nothing_and_names_the_other_subject_only_to_identify_keys()
    {
        var factory = Service(("Enrollment:DuplicateCheck", "refuse"));
        var client = factory.CreateClient();
        await EnrollAsync(client, "alice", Obama);

        var named = await (await client.PostAsync("/v1/enroll", HttpHelpers.Form("mallory", ObamaTest))).AssertProblem(409, "duplicate_identity");
        Assert.Contains("'alice'", named.GetProperty("detail").GetString());
        var enrollOnly = factory.ClientWithKey(await factory.CreateKeyAsync("desk", [ApiKeyScopes.Enroll]));
        var unnamed = await (await enrollOnly.PostAsync("/v1/enroll", HttpHelpers.Form("mallory", ObamaTest))).AssertProblem(409, "duplicate_identity");
        Assert.DoesNotContain("alice", unnamed.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/subjects/mallory")).StatusCode);
        // Re-enrolling the same subject is not a duplicate; another person is enrolled.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll", HttpHelpers.Form("alice", ObamaTest))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll", HttpHelpers.Form("bob", Biden))).StatusCode);

        var refusals = (await AuditAsync(factory, "mallory")).Where(r => r.Action == AuditActions.Enroll).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, r =>
        {
            Assert.Equal("duplicate_identity", r.Outcome);
            Assert.Equal("alice", r.Details["duplicateOf"]);
            Assert.Equal("flagged", r.Details["duplicateCheck"]);
        });
        var clear = (await AuditAsync(factory, "bob")).Single(r => r.Action == AuditActions.Enroll);
        Assert.Equal("clear", clear.Details["duplicateCheck"]);
    }

    [Fact]
    public async Task Concurrent_enrollments_of_one_face_under_several_ids_let_only_one_through_refuse()
    {
        var client = Service(("Enrollment:DuplicateCheck", "refuse")).CreateClient();

        // Four desks enroll the same person at once under four ids: checked and written one at a time, the first is stored
        // and every later one finds it.
        var responses = await Task.WhenAll(new[] { ("m1", Obama), ("m2", ObamaTest), ("m3", Obama), ("m4", ObamaTest) }
            .Select(e => client.PostAsync("/v1/enroll", HttpHelpers.Form(e.Item1, e.Item2))));

        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Created));
        Assert.Equal(3, codes.Count(c => c == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await refused.AssertProblem(409, "duplicate_identity");
        }
    }

    [Fact]
    public async Task Duplicate_check_warn_enrolls_and_reports_and_off_does_not_check()
    {
        var warn = Service(("Enrollment:DuplicateCheck", "warn"));
        var client = warn.CreateClient();
        await EnrollAsync(client, "alice", Obama);
        var flagged = await EnrollAsync(client, "mallory", ObamaTest);
        var check = flagged.GetProperty("duplicateCheck");
        Assert.True(check.GetProperty("flagged").GetBoolean(), check.ToString());
        Assert.Equal("warn", check.GetProperty("mode").GetString());
        Assert.Equal("alice", check.GetProperty("matches")[0].GetProperty("subjectId").GetString());
        Assert.Equal(1, check.GetProperty("gallerySize").GetInt32());
        var record = (await AuditAsync(warn, "mallory")).Single(r => r.Action == AuditActions.Enroll);
        Assert.Equal(("ok", "flagged", "alice"), (record.Outcome, record.Details["duplicateCheck"], record.Details["duplicateOf"]));

        var enrollOnly = warn.ClientWithKey(await warn.CreateKeyAsync("desk", [ApiKeyScopes.Enroll]));
        var hidden = await (await enrollOnly.PostAsync("/v1/enroll", HttpHelpers.Form("trudy", ObamaTest))).Json();
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("duplicateCheck").GetProperty("matches")[0].GetProperty("subjectId").ValueKind);

        var off = Service(("Enrollment:DuplicateCheck", "off")).CreateClient();
        await EnrollAsync(off, "alice", Obama);
        Assert.Equal(JsonValueKind.Null, (await EnrollAsync(off, "mallory", ObamaTest)).GetProperty("duplicateCheck").ValueKind);
    }

    [Fact]
    public async Task Identify_is_audited_with_ids_and_scores_only()
    {
        var factory = Service();
        var client = factory.CreateClient();
        await EnrollAsync(client, "alice", Obama);
        var found = await IdentifyAsync(client, ObamaTest);

        var record = (await factory.Services.GetRequiredService<IAuditTrail>().ReadAsync(new AuditFilter(Action: AuditActions.Identify), new AuditPageRequest()))
            .Records.Single();
        Assert.Equal("ok", record.Outcome);
        Assert.Equal(found.GetProperty("searchId").GetString(), record.Details["searchId"]);
        Assert.StartsWith("alice:", record.Details["candidates"]);
        Assert.Equal("1", record.Details["gallerySize"]);
        Assert.All(record.Details.Values, v => Assert.True(v is null || v.Length <= 200, v));
    }

    public void Dispose()
    {
        owned.AsEnumerable().Reverse().ToList().ForEach(d => d.Dispose());
        GC.SuppressFinalize(this);
    }

    private static ModelEntry Embedder()
    {
        var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
        return manifest.Get(ModelBundle.DefaultOf(manifest).EmbedderId, ModelRoles.Embedder);
    }

    private static async Task<JsonElement> EnrollAsync(HttpClient client, string subject, string photo)
    {
        var response = await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, photo));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static Task<HttpResponseMessage> Identify(HttpClient client, string photo) =>
        client.PostAsync("/v1/identify", HttpHelpers.Form(null, photo));

    private static async Task<JsonElement> IdentifyAsync(HttpClient client, string photo)
    {
        var response = await Identify(client, photo);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditAsync(ApiFactory factory, string subject) =>
        (await factory.Services.GetRequiredService<IAuditTrail>().ReadAsync(new AuditFilter(SubjectId: subject), new AuditPageRequest())).Records;
}

public sealed class SqliteIdentifyApiTests : IdentifyApiTests
{
    protected override ApiFactory Start(Dictionary<string, string?> settings)
    {
        var factory = Own(new ApiFactory());
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        return factory;
    }
}

public sealed class PostgresIdentifyApiTests : IdentifyApiTests
{
    protected override ApiFactory Start(Dictionary<string, string?> settings)
    {
        var database = Own(new PostgresTestDatabase());
        var factory = Own(new ApiFactory());
        factory.Settings["Storage:Provider"] = "postgres";
        factory.Settings["Storage:ConnectionString"] = database.ConnectionString;
        factory.Settings["Templates:DataKeys:dk-test"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        return factory;
    }
}
