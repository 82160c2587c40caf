using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed partial class AuditApiTests(ApiFactory factory)
{
    private const string Obama1 = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Obama2 = "face_recognition/examples/knn_examples/train/obama/obama2.jpg";
    private const string Obama3 = "face_recognition/tests/test_images/obama3.jpg";
    private const string PrintedPhoto = "silent_face_anti_spoofing/image_F1.jpg";
    private const string NoFace = "insightface/test_res/data/crop/no_face.png";

    private static string NewSubject() => "audit-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Enroll_verify_failed_verify_and_delete_are_chained_records_with_the_callers_name_and_outcome()
    {
        // The caller's name in the log is its API key's name.
        var trail = factory.Services.GetRequiredService<IAuditTrail>();
        var client = factory.ClientWithKey(await factory.CreateKeyAsync($"kiosk-7-{Guid.NewGuid():N}"[..20],
            [ApiKeyScopes.Enroll, ApiKeyScopes.Verify, ApiKeyScopes.SubjectsDelete]));
        var subject = NewSubject();
        var unknown = NewSubject();

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).StatusCode);
        await (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, PrintedPhoto))).AssertProblem(422, "liveness_failed");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll?replace=true", HttpHelpers.Form(subject, Obama2))).StatusCode);
        var verified = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Obama3))).Json();
        var spoofed = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, PrintedPhoto))).Json();
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, NoFace))).AssertProblem(422, "no_face");
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(unknown, Obama3))).AssertProblem(404, "subject_not_found");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/subjects/{subject}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/subjects/{subject}")).StatusCode);
        await (await client.DeleteAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");

        var records = (await trail.ReadAsync(new AuditFilter(subject), new AuditPageRequest(Limit: 100))).Records;
        Assert.Equal(
            [("enroll", "ok"), ("enroll", "liveness_failed"), ("enroll", "ok"), ("verify", "ok"), ("verify", "ok"), ("verify", "no_face"),
             ("subject.read", "ok"), ("subject.delete", "ok"), ("subject.delete", "subject_not_found")],
            records.Select(r => (r.Action, r.Outcome)));
        Assert.All(records, r => Assert.StartsWith("kiosk-7", r.Actor, StringComparison.Ordinal));

        // A replacement by the same face is an enroll that says so; "reenroll" is kept for a different face under subjects:reenroll.
        Assert.Equal("true", records[2].Details["replace"]);
        Assert.Equal(records.Count, records.Select(r => r.RequestId).Distinct().Count());
        Assert.All(records, r => Assert.False(string.IsNullOrEmpty(r.RequestId)));
        Assert.Equal(["verify/subject_not_found"],
            (await trail.ReadAsync(new AuditFilter(unknown), new AuditPageRequest())).Records.Select(r => $"{r.Action}/{r.Outcome}"));

        // The decision, whole: what was decided, on which figures, with which models.
        var decision = records[3].Details;
        Assert.Equal(verified.GetProperty("decisionId").GetString(), decision["decisionId"]);
        Assert.Equal(("true", "true", "true", "true"), (decision["verified"], decision["match"], decision["livenessPassed"], decision["qualityPassed"]));
        Assert.Equal(verified.GetProperty("score").GetSingle(), float.Parse(decision["score"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(verified.GetProperty("threshold").GetSingle(), float.Parse(decision["threshold"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.001", decision["fmrTarget"]);
        Assert.Equal(("yunet-2026may", "mobilefacenet-paddlex-128d", "minifasnet-v2-2.7+minifasnet-v1se-4.0"),
            (decision["detector"], decision["embedder"], decision["liveness"]));
        Assert.Equal(spoofed.GetProperty("decisionId").GetString(), records[4].Details["decisionId"]);
        Assert.Equal(("false", "false"), (records[4].Details["verified"], records[4].Details["livenessPassed"]));
        Assert.Equal("attack_suspected", records[4].Details["livenessReason"]);

        // Chained: each record points at the one before it in the whole log, and the log verifies.
        foreach (var record in records)
        {
            var previous = await trail.ReadAsync(new AuditFilter(), new AuditPageRequest(record.Sequence - 2, 1));
            Assert.Equal(record.Sequence == 1 ? AuditChain.Genesis : previous.Records[0].Hash, record.PrevHash);
        }

        var report = await trail.VerifyChainAsync();
        Assert.True(report.Intact, report.Break?.Reason);
    }

    [Fact]
    public async Task A_challenge_its_answer_and_its_replay_are_recorded_with_the_challenge_id()
    {
        var client = factory.CreateClient();
        var subject = NewSubject();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).EnsureSuccessStatusCode();
        var challenge = await (await client.PostAsJsonAsync("/v1/liveness/challenges", new { subjectId = subject })).Json();
        var challengeId = challenge.GetProperty("challengeId").GetString()!;

        // A still face answers no head turn: the challenge fails, and is spent.
        var answer = await (await client.PostAsync("/v1/verify", Burst(subject, challengeId, Obama3, Obama3, Obama3))).Json();
        await (await client.PostAsync("/v1/verify", Burst(subject, challengeId, Obama3, Obama3, Obama3))).AssertProblem(409, "challenge_used");

        var records = await ReadAsync(client, $"subjectId={subject}");
        Assert.Equal(["enroll/ok", "challenge.create/ok", "verify/ok", "verify/challenge_used"], records.Select(r => $"{r.Action}/{r.Outcome}"));
        Assert.Equal(challengeId, records[1].Details["challengeId"]);
        Assert.DoesNotContain(challenge.GetProperty("nonce").GetString()!, JsonSerializer.Serialize(records), StringComparison.Ordinal);
        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Equal((challengeId, "false", "false"), (records[2].Details["challengeId"], records[2].Details["challengePassed"], records[2].Details["verified"]));
        Assert.Equal(challengeId, records[3].Details["challengeId"]);
    }

    [Fact]
    public async Task No_audit_record_holds_an_image_or_an_embedding()
    {
        var client = factory.CreateClient();
        var subject = NewSubject();
        var enrolled = Convert.ToBase64String(TestData.Read(Obama1));
        var probe = Convert.ToBase64String(TestData.Read(Obama3));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/enroll", new { subjectId = subject, images = new[] { enrolled } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/verify", new { subjectId = subject, image = probe })).StatusCode);

        var rows = new List<string>();
        using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Mode=ReadOnly"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM audit_log";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    Assert.IsNotType<byte[]>(reader.GetValue(i));
                }

                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetString(i))));
            }
        }

        Assert.Contains(rows, r => r.Contains(subject, StringComparison.Ordinal));
        foreach (var image in new[] { enrolled, probe })
        {
            foreach (var offset in new[] { 0, image.Length / 2, image.Length - 48 })
            {
                Assert.DoesNotContain(rows, r => r.Contains(image.Substring(offset, 32), StringComparison.Ordinal));
            }
        }

        // 128 floats would be a long run of numbers; the most a record holds is a handful of figures, one per field.
        Assert.DoesNotContain(rows, r => ManyNumbers().IsMatch(r));
        Assert.All(rows, r => Assert.True(r.Length < 2000, $"a {r.Length}-character audit row"));
    }

    [Fact]
    public async Task Model_swaps_are_recorded_with_the_admin_and_refused_callers_as_forbidden()
    {
        using var own = new ApiFactory();
        var admin = own.ClientWithKey(await own.CreateKeyAsync("ops-admin", [ApiKeyScopes.Admin, ApiKeyScopes.Audit]));
        var put = await admin.PutAsJsonAsync("/v1/admin/models/embedder", new { id = "no-such-embedder" });
        await put.AssertProblem(404, "model_not_found");
        var swaps = await ReadAsync(admin, $"action={AuditActions.ModelSwap}");
        var refused = swaps[^1];
        Assert.Equal(("model_not_found", "ops-admin"), (refused.Outcome, refused.Actor));
        Assert.Equal(("embedder", "no-such-embedder"), (refused.Details["role"], refused.Details["requestedIds"]));

        var kiosk = own.ClientWithKey(await own.CreateKeyAsync("kiosk-9", [ApiKeyScopes.Verify]));
        await (await kiosk.PutAsJsonAsync("/v1/admin/models/embedder", new { id = "mobilefacenet-treb1en-128d" })).AssertProblem(403, "scope_forbidden");
        await (await kiosk.GetAsync("/v1/audit")).AssertProblem(403, "scope_forbidden");

        var page = await own.Services.GetRequiredService<IAuditTrail>().ReadAsync(new AuditFilter(Action: AuditActions.ModelSwap), new AuditPageRequest());
        var forbidden = page.Records[^1];
        Assert.Equal((AuditActions.ModelSwap, "forbidden", "kiosk-9"), (forbidden.Action, forbidden.Outcome, forbidden.Actor));
        Assert.Equal("/v1/admin/models/embedder", forbidden.Details["path"]);
    }

    [Fact]
    public async Task An_hmac_key_from_configuration_keys_the_chain_and_a_malformed_one_stops_the_start()
    {
        var key = new byte[32];
        RandomNumberGenerator.Fill(key);
        using var keyed = new ApiFactory { Settings = { ["Audit:HmacKey"] = Convert.ToBase64String(key) } };
        var client = keyed.CreateClient();
        await (await client.GetAsync($"/v1/subjects/{NewSubject()}")).AssertProblem(404, "subject_not_found");

        var record = Assert.Single(await ReadAsync(client, $"action={AuditActions.SubjectRead}"));
        Assert.Equal(AuditChain.KeyIdOf(key), record.KeyId);
        Assert.True((await keyed.Services.GetRequiredService<IAuditTrail>().VerifyChainAsync()).Intact);

        using var malformed = new ApiFactory { Settings = { ["Audit:HmacKey"] = "not base64!" } };
        var error = Assert.ThrowsAny<Exception>(() => malformed.CreateClient());
        Assert.Contains("Audit:HmacKey must be base64 of at least 32 bytes.", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_route_pages_by_sequence_and_refuses_bad_queries()
    {
        var client = factory.CreateClient();
        var subject = NewSubject();
        for (var i = 0; i < 3; i++)
        {
            await (await client.GetAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
        }

        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/audit?subjectId={subject}&limit=2");
        var next = first.GetProperty("next").GetInt64();
        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/audit?subjectId={subject}&limit=2&after={next}");
        var none = await client.GetFromJsonAsync<JsonElement>($"/v1/audit?subjectId={subject}&from={Uri.EscapeDataString(factory.Time.GetUtcNow().AddSeconds(1).ToString("O"))}");

        Assert.Equal(2, first.GetProperty("records").GetArrayLength());
        Assert.Single(second.GetProperty("records").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(0, none.GetProperty("records").GetArrayLength());
        var record = second.GetProperty("records")[0];
        Assert.Equal(subject, record.GetProperty("subjectId").GetString());
        Assert.Equal(64, record.GetProperty("hash").GetString()!.Length);
        Assert.Equal(64, record.GetProperty("prevHash").GetString()!.Length);

        await (await client.GetAsync("/v1/audit?limit=0")).AssertProblem(400, "invalid_request");
        await (await client.GetAsync("/v1/audit?from=yesterday")).AssertProblem(400, "invalid_request");
        await (await client.GetAsync("/v1/audit?subjectId=a%20b")).AssertProblem(400, "invalid_subject_id");
        Assert.Contains("\"/v1/audit\"", await client.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    private static async Task<List<AuditRecordView>> ReadAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/v1/audit?{query}&limit=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<AuditPageView>(JsonSerializerOptions.Web);
        return page!.Records;
    }

    private static MultipartFormDataContent Burst(string subject, string challengeId, params string[] frames)
    {
        var form = new MultipartFormDataContent { { new StringContent(subject), "subjectId" }, { new StringContent(challengeId), "challengeId" } };
        foreach (var frame in frames)
        {
            var file = new ByteArrayContent(TestData.Read(frame));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "frame", Path.GetFileName(frame));
        }

        return form;
    }

    [GeneratedRegex(@"(-?\d+\.\d+([eE]-?\d+)?[^\d]{1,3}){16,}")]
    private static partial Regex ManyNumbers();

    private sealed record AuditPageView(List<AuditRecordView> Records, long? Next);

    private sealed record AuditRecordView(long Sequence, DateTimeOffset Time, string Action, string Outcome, string? SubjectId, string? Actor,
        string? RequestId, Dictionary<string, string?> Details, string? KeyId, string PrevHash, string Hash);
}
