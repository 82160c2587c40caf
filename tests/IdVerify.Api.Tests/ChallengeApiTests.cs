using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

/// <summary>Active liveness through HTTP with real photos of one person in different poses (and of two people).</summary>
[Collection(ApiCollection.Name)]
public sealed class ChallengeApiTests(ApiFactory factory)
{
    private const string Enrolled = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Frontal = "face_recognition/examples/obama-480p.jpg";
    private const string TurnedLeft = "face_recognition/examples/knn_examples/train/obama/obama2.jpg";
    private const string TurnedRight = "face_recognition/examples/knn_examples/test/obama1.jpg";
    private const string SomeoneElseTurnedRight = "face_recognition/examples/knn_examples/test/johnsnow_test1.jpg";

    private readonly HttpClient client = factory.CreateClient();

    private async Task<string> EnrollAsync()
    {
        var subject = "ch-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Enrolled))).EnsureSuccessStatusCode();
        return subject;
    }

    private async Task<JsonElement> ChallengeAsync(string? subjectId = null)
    {
        var response = subjectId is null
            ? await client.PostAsync("/v1/liveness/challenges", null)
            : await client.PostAsJsonAsync("/v1/liveness/challenges", new { subjectId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Json();
    }

    private static string[] Actions(JsonElement challenge) =>
        challenge.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToArray();

    /// <summary>A frontal frame, then one frame per requested action from <paramref name="frameFor"/>.</summary>
    private static MultipartFormDataContent Burst(string subject, JsonElement challenge, Func<string, string> frameFor)
    {
        var form = HttpHelpers.Form(subject, Array.Empty<string>());
        form.Add(new StringContent(challenge.GetProperty("challengeId").GetString()!), "challengeId");
        foreach (var photo in new[] { Frontal }.Concat(Actions(challenge).Select(frameFor)))
        {
            form.Add(new ByteArrayContent(TestData.Read(photo)), "frame", Path.GetFileName(photo));
        }

        return form;
    }

    private static string SamePerson(string action) => action == "turn_left" ? TurnedLeft : TurnedRight;

    [Fact]
    public async Task A_challenge_is_single_use_expiring_and_asks_for_two_turns()
    {
        var challenge = await ChallengeAsync();

        Assert.Equal(32, challenge.GetProperty("challengeId").GetString()!.Length);
        Assert.False(string.IsNullOrEmpty(challenge.GetProperty("nonce").GetString()));
        Assert.Equal(["turn_left", "turn_right"], Actions(challenge).Order());
        var expires = challenge.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - factory.Time.GetUtcNow(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task Frames_of_one_person_turning_as_asked_pass_the_challenge_and_verify()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);

        var response = await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        var outcome = result.GetProperty("challenge");
        Assert.True(outcome.GetProperty("passed").GetBoolean(), outcome.ToString());
        Assert.Equal(Actions(challenge), outcome.GetProperty("actionsObserved").EnumerateArray().Select(a => a.GetString()));
        Assert.True(outcome.GetProperty("checks").GetProperty("samePerson").GetBoolean());
        Assert.True(result.GetProperty("liveness").GetProperty("passed").GetBoolean());
        Assert.True(result.GetProperty("verified").GetBoolean(), result.ToString());
    }

    [Fact]
    public async Task A_burst_mixing_two_people_fails_the_same_person_check()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);

        var result = await (await client.PostAsync("/v1/verify",
            Burst(subject, challenge, a => a == "turn_left" ? TurnedLeft : SomeoneElseTurnedRight))).Json();

        var checks = result.GetProperty("challenge").GetProperty("checks");
        Assert.False(checks.GetProperty("samePerson").GetBoolean(), result.ToString());
        Assert.False(result.GetProperty("verified").GetBoolean());
        Assert.Equal("challenge_failed", result.GetProperty("liveness").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_burst_that_never_turns_fails_the_actions_check()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);

        var result = await (await client.PostAsync("/v1/verify", Burst(subject, challenge, _ => "face_recognition/examples/obama-720p.jpg"))).Json();

        var outcome = result.GetProperty("challenge");
        Assert.False(outcome.GetProperty("checks").GetProperty("actionsInOrder").GetBoolean());
        Assert.Equal(0, outcome.GetProperty("actionsObserved").GetArrayLength());
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Turns_in_the_wrong_order_fail()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        var reversed = Actions(challenge).Reverse().ToArray();
        var form = HttpHelpers.Form(subject, Array.Empty<string>());
        form.Add(new StringContent(challenge.GetProperty("challengeId").GetString()!), "challengeId");
        foreach (var photo in new[] { Frontal }.Concat(reversed.Select(SamePerson)))
        {
            form.Add(new ByteArrayContent(TestData.Read(photo)), "frame", Path.GetFileName(photo));
        }

        var result = await (await client.PostAsync("/v1/verify", form)).Json();

        Assert.False(result.GetProperty("challenge").GetProperty("checks").GetProperty("actionsInOrder").GetBoolean());
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task A_replayed_challenge_is_rejected()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        (await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson))).EnsureSuccessStatusCode();

        var replay = await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson));

        await replay.AssertProblem(409, "challenge_used");
    }

    [Fact]
    public async Task An_expired_challenge_is_rejected_and_spent()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        factory.Time.Advance(TimeSpan.FromMinutes(2));

        var late = await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson));

        await late.AssertProblem(410, "challenge_expired");
        await (await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson))).AssertProblem(409, "challenge_used");
    }

    [Fact]
    public async Task A_challenge_issued_for_another_subject_is_refused()
    {
        var subject = await EnrollAsync();
        var other = await EnrollAsync();
        var challenge = await ChallengeAsync(other);

        await (await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson))).AssertProblem(409, "challenge_subject_mismatch");
    }

    [Fact]
    public async Task Too_many_frames_are_refused_without_spending_the_challenge()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        var form = HttpHelpers.Form(subject, Array.Empty<string>());
        form.Add(new StringContent(challenge.GetProperty("challengeId").GetString()!), "challengeId");
        for (var i = 0; i < 21; i++)
        {
            form.Add(new ByteArrayContent(TestData.Read(Frontal)), "frame", $"f{i}.jpg");
        }

        await (await client.PostAsync("/v1/verify", form)).AssertProblem(400, "too_many_images");
        var retry = await client.PostAsync("/v1/verify", Burst(subject, challenge, SamePerson));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task An_unknown_challenge_is_not_found() =>
        await (await client.PostAsync("/v1/verify", Burst(await EnrollAsync(),
            JsonDocument.Parse("""{"challengeId":"0000","actions":["turn_left"]}""").RootElement, SamePerson)))
            .AssertProblem(404, "challenge_not_found");
}
