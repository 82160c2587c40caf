using System.Net;
using System.Net.Http.Json;
using IdVerify.Core.Templates;
using IdVerify.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class VerificationApiTests(ApiFactory factory)
{
    // Photos with room around the face and enrollment quality (a tight crop cannot be judged live).
    private const string Obama1 = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Obama2 = "face_recognition/examples/knn_examples/train/obama/obama2.jpg";
    private const string Obama3 = "face_recognition/tests/test_images/obama3.jpg";
    private const string ObamaTest = "face_recognition/examples/knn_examples/test/obama1.jpg";
    private const string Biden = "face_recognition/examples/knn_examples/train/biden/biden.jpg";
    private const string Live = "silent_face_anti_spoofing/image_T1.jpg";
    private const string PrintedPhoto = "silent_face_anti_spoofing/image_F1.jpg";
    private const string ScreenReplay = "insightface/test_res/data/bulk/rgb_fake.jpg";

    private readonly HttpClient client = factory.CreateClient();

    private static string NewSubject() => "cust-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Enroll_then_verify_the_same_person_is_verified_with_every_field()
    {
        var subject = NewSubject();
        var enroll = await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1, Obama2));
        Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);
        Assert.Equal($"/v1/subjects/{subject}", enroll.Headers.Location?.OriginalString);
        var enrolled = await enroll.Json();
        Assert.Equal(2, enrolled.GetProperty("templates").GetArrayLength());
        Assert.Equal(2, enrolled.GetProperty("subject").GetProperty("templateCount").GetInt32());

        var verify = await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Obama3));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var result = await verify.Json();

        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.True(result.GetProperty("match").GetBoolean());
        Assert.Equal(subject, result.GetProperty("subjectId").GetString());
        Assert.True(result.GetProperty("score").GetSingle() >= result.GetProperty("threshold").GetSingle());
        Assert.Equal(0.001, result.GetProperty("fmrTarget").GetDouble());
        Assert.True(result.GetProperty("liveness").GetProperty("passed").GetBoolean());
        Assert.Equal(5, result.GetProperty("face").GetProperty("landmarks").GetArrayLength());
        Assert.True(result.GetProperty("face").GetProperty("box").GetProperty("width").GetSingle() > 50);
        Assert.Equal("yunet-2026may", result.GetProperty("models").GetProperty("detector").GetString());
        Assert.Equal("mobilefacenet-paddlex-128d", result.GetProperty("models").GetProperty("embedder").GetString());
        Assert.Equal("minifasnet-v2-2.7+minifasnet-v1se-4.0", result.GetProperty("models").GetProperty("liveness").GetString());
        foreach (var stage in new[] { "decode", "detect", "align", "embed", "liveness", "match", "total" })
        {
            Assert.True(result.GetProperty("timingsMs").GetProperty(stage).GetDouble() >= 0);
        }

        // The decision is on record for audit.
        var decisions = factory.Services.GetRequiredService<IDecisionLog>();
        var decision = await decisions.GetDecisionAsync(result.GetProperty("decisionId").GetString()!);
        Assert.NotNull(decision);
        Assert.True(decision.Verified);
    }

    [Fact]
    public async Task Verify_rejects_a_different_person()
    {
        var subject = NewSubject();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).EnsureSuccessStatusCode();

        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Biden))).Json();

        Assert.False(result.GetProperty("match").GetBoolean());
        Assert.False(result.GetProperty("verified").GetBoolean());
        Assert.True(result.GetProperty("score").GetSingle() < result.GetProperty("threshold").GetSingle());
    }

    [Fact]
    public async Task Json_base64_enroll_and_verify_work_like_multipart()
    {
        var subject = NewSubject();
        var enroll = await client.PostAsJsonAsync("/v1/enroll", new
        {
            subjectId = subject,
            images = new[] { Convert.ToBase64String(TestData.Read(Obama1)), "data:image/jpeg;base64," + Convert.ToBase64String(TestData.Read(Obama2)) },
        });
        Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);

        var verify = await client.PostAsJsonAsync("/v1/verify", new { subjectId = subject, image = Convert.ToBase64String(TestData.Read(Obama3)) });

        Assert.True((await verify.Json()).GetProperty("verified").GetBoolean());
    }

    [Theory]
    [InlineData(PrintedPhoto)]
    [InlineData(ScreenReplay)]
    public async Task Verify_rejects_printed_photo_and_screen_attacks(string attack)
    {
        var subject = NewSubject();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Live))).EnsureSuccessStatusCode();

        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, attack))).Json();

        Assert.False(result.GetProperty("liveness").GetProperty("passed").GetBoolean());
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Enroll_refuses_a_printed_photo_with_liveness_failed()
    {
        var subject = NewSubject();
        var response = await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, PrintedPhoto));
        await response.AssertProblem(422, "liveness_failed");
        await (await client.GetAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
    }

    [Fact]
    public async Task A_failing_photo_in_an_enrollment_enrolls_nothing()
    {
        var subject = NewSubject();
        var response = await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1, "insightface/test_res/data/crop/no_face.png"));

        var problem = await response.AssertProblem(422, "no_face");
        Assert.StartsWith("Image 2 of 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await client.GetAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
    }

    [Fact]
    public async Task Second_enrollment_adds_templates_and_replace_starts_over()
    {
        var subject = NewSubject();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).EnsureSuccessStatusCode();
        var added = await (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama2))).Json();
        var replaced = await (await client.PostAsync("/v1/enroll?replace=true", HttpHelpers.Form(subject, ObamaTest))).Json();

        Assert.Equal(2, added.GetProperty("subject").GetProperty("templateCount").GetInt32());
        Assert.Equal(1, replaced.GetProperty("subject").GetProperty("templateCount").GetInt32());
    }

    [Fact]
    public async Task Subject_can_be_read_and_erased()
    {
        var subject = NewSubject();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama1))).EnsureSuccessStatusCode();

        var read = await (await client.GetAsync($"/v1/subjects/{subject}")).Json();
        Assert.Equal(1, read.GetProperty("templateCount").GetInt32());
        Assert.False(read.GetProperty("templates")[0].TryGetProperty("embedding", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/subjects/{subject}")).StatusCode);
        await (await client.GetAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Obama2))).AssertProblem(404, "subject_not_found");
        await (await client.DeleteAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
    }

    [Fact]
    public async Task Health_openapi_and_readiness_are_served()
    {
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/v1/enroll", "/v1/verify", "/v1/subjects/{subjectId}" })
        {
            Assert.Contains($"\"{route}\"", openApi, StringComparison.Ordinal);
        }
    }
}
