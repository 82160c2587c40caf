using System.Net;
using IdVerify.Core.Access;
using Xunit.Abstractions;

namespace IdVerify.Api.Tests;

/// <summary>/metrics after real requests: the series an operator alerts on, with no subject id in a label; and one log line per decision.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricsApiTests(ApiFactory factory, ITestOutputHelper output)
{
    private const string Obama1 = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Obama3 = "face_recognition/tests/test_images/obama3.jpg";
    private const string Biden = "face_recognition/examples/knn_examples/train/biden/biden.jpg";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Metrics_after_real_requests_hold_outcomes_stages_models_and_no_subject_id()
    {
        var subject = "cust-metrics-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Obama3))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Biden))).StatusCode);
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form("cust-metrics-nobody", Obama3))).AssertProblem(404, "subject_not_found");

        using var admin = factory.ClientWithKey(await factory.CreateKeyAsync("metrics-" + Guid.NewGuid().ToString("N")[..8], [ApiKeyScopes.Admin]));
        var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);

        var lines = text.Split('\n');
        bool Has(string name, params string[] labels) =>
            lines.Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));

        Assert.True(Has("idverify_requests_total", "outcome=\"verified\"", "route=\"/v1/verify\""), "verified verify");
        Assert.True(Has("idverify_requests_total", "outcome=\"not_verified\"", "reason=\"no_match\"", "route=\"/v1/verify\""), "no_match verify");
        Assert.True(Has("idverify_requests_total", "outcome=\"subject_not_found\"", "route=\"/v1/verify\""), "refused verify");
        Assert.True(Has("idverify_requests_total", "outcome=\"ok\"", "route=\"/v1/enroll\""), "enroll");
        foreach (var stage in new[] { "decode", "detect", "align", "embed", "liveness", "match", "total" })
        {
            Assert.True(Has("idverify_stage_duration_milliseconds_bucket", "operation=\"verify\"", $"stage=\"{stage}\""), stage);
        }

        Assert.True(Has("idverify_stage_duration_milliseconds_count", "operation=\"enroll\"", "stage=\"embed\""), "enroll stages");
        Assert.True(Has("idverify_model_info", "role=\"embedder\"", "id=\"mobilefacenet-paddlex-128d\"", "sha256=\"", "provider=\"cpu\""), "model info");
        Assert.True(Has("idverify_subjects", "embedder=\"mobilefacenet-paddlex-128d\""), "subjects per embedder");
        Assert.Contains(lines, l => l.StartsWith("idverify_inference_queue_depth", StringComparison.Ordinal));
        Assert.DoesNotContain(subject, text, StringComparison.Ordinal);
        Assert.DoesNotContain("cust-metrics-nobody", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_need_the_admin_scope()
    {
        using var verifyOnly = factory.ClientWithKey(await factory.CreateKeyAsync("metrics-verify-" + Guid.NewGuid().ToString("N")[..8], [ApiKeyScopes.Verify]));
        await (await verifyOnly.GetAsync("/metrics")).AssertProblem(403, "scope_forbidden");
        using var none = factory.ClientWithKey(null);
        await (await none.GetAsync("/metrics")).AssertProblem(401, "api_key_missing");
    }

    [Fact]
    public async Task Each_decision_is_one_log_line_with_its_request_id_and_nothing_about_the_face_or_the_subject()
    {
        var subject = "cust-log-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).StatusCode);
        var verify = await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Obama3));
        var body = await verify.Json();
        var decisionId = body.GetProperty("decisionId").GetString()!;
        var score = body.GetProperty("score").GetDouble();

        var lines = factory.Logs.Where(l => l.Contains("decision " + decisionId, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Matches(@"^Information IdVerify\.Api\.Infrastructure\.AuditEndpointFilter: Decision verify verified +decision [0-9a-f]{32} request \S+$", line);
        Assert.DoesNotContain(factory.Logs, l => l.Contains(subject, StringComparison.Ordinal));
        Assert.DoesNotContain(score.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }
}
