using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Core.Evaluation;
using IdVerify.Tests;
using static IdVerify.Api.Tests.TurnBursts;

namespace IdVerify.Api.Tests;

/// <summary>
/// Active liveness through HTTP on real footage (<see cref="TurnBursts"/>).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ChallengeApiTests(ApiFactory factory)
{
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

    private static string[] Failures(JsonElement outcome) => outcome.GetProperty("failures").EnumerateArray().Select(f => f.GetString()!).ToArray();

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
    public async Task Challenge_passes_real_head_turn_sequence()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);

        var response = await client.PostAsync("/v1/verify", Burst(subject, challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        var outcome = result.GetProperty("challenge");
        Assert.True(outcome.GetProperty("passed").GetBoolean(), outcome.ToString());
        Assert.Empty(Failures(outcome));
        Assert.Equal(Actions(challenge), outcome.GetProperty("actionsObserved").EnumerateArray().Select(a => a.GetString()));
        Assert.True(outcome.GetProperty("checks").GetProperty("tracked").GetBoolean());
        var frames = outcome.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(20, frames.Count);
        // Per-frame scores: the three sharpest frontal frames decided the passive check, on their mean.
        var judged = frames.Where(f => f.GetProperty("livenessJudged").GetBoolean()).ToList();
        Assert.Equal(3, judged.Count);
        Assert.Equal(judged.Average(f => f.GetProperty("livenessScore").GetDouble()), outcome.GetProperty("livenessScore").GetDouble(), 4);
        Assert.True(result.GetProperty("liveness").GetProperty("passed").GetBoolean());
        Assert.True(result.GetProperty("verified").GetBoolean(), result.ToString());
    }

    [Fact]
    public async Task A_burst_whose_frontal_frames_show_two_people_fails_the_same_person_check()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        // The last six frames are another man filmed at the same spot of the same-sized frame: the track holds, the faces differ.
        var someoneElse = ChallengeBursts.SequenceFrames(TestData.FacesRoot, "grid_lbax4n").Take(6);
        var frames = Turning(Actions(challenge)).Take(14).Concat(someoneElse);

        var result = await (await client.PostAsync("/v1/verify", Burst(subject, challenge, frames))).Json();

        var outcome = result.GetProperty("challenge");
        Assert.False(outcome.GetProperty("checks").GetProperty("samePerson").GetBoolean(), outcome.ToString());
        Assert.Contains("not_same_person", Failures(outcome));
        Assert.False(result.GetProperty("verified").GetBoolean());
        Assert.Equal("challenge_failed", result.GetProperty("liveness").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_burst_that_cuts_to_a_face_elsewhere_fails_tracking()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        var elsewhere = TestData.Read("face_recognition/examples/knn_examples/train/obama/obama.jpg");
        var frames = Turning(Actions(challenge)).Take(10).Append(elsewhere).Concat(Turning(Actions(challenge)).Skip(10).Take(9));

        var outcome = (await (await client.PostAsync("/v1/verify", Burst(subject, challenge, frames))).Json()).GetProperty("challenge");

        Assert.False(outcome.GetProperty("checks").GetProperty("tracked").GetBoolean(), outcome.ToString());
        Assert.Contains("face_jumped", Failures(outcome));
        Assert.False(outcome.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task A_burst_that_never_turns_fails_the_actions_check()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        var still = ChallengeBursts.SequenceFrames(TestData.FacesRoot, "franck_blink_B").Where((_, i) => i % 2 == 0);

        var result = await (await client.PostAsync("/v1/verify", Burst(subject, challenge, still))).Json();

        var outcome = result.GetProperty("challenge");
        Assert.False(outcome.GetProperty("checks").GetProperty("actionsInOrder").GetBoolean());
        Assert.Equal(["actions_not_seen"], Failures(outcome));
        Assert.Equal(0, outcome.GetProperty("actionsObserved").GetArrayLength());
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Turns_in_the_wrong_order_fail()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);

        var result = await (await client.PostAsync("/v1/verify", Burst(subject, challenge, Turning(Actions(challenge).Reverse().ToArray())))).Json();

        Assert.False(result.GetProperty("challenge").GetProperty("checks").GetProperty("actionsInOrder").GetBoolean());
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task A_replayed_challenge_is_rejected()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        (await client.PostAsync("/v1/verify", Burst(subject, challenge))).EnsureSuccessStatusCode();

        var replay = await client.PostAsync("/v1/verify", Burst(subject, challenge));

        await replay.AssertProblem(409, "challenge_used");
    }

    [Fact]
    public async Task An_expired_challenge_is_rejected_and_spent()
    {
        var subject = await EnrollAsync();
        var challenge = await ChallengeAsync(subject);
        factory.Time.Advance(TimeSpan.FromMinutes(2));

        var late = await client.PostAsync("/v1/verify", Burst(subject, challenge));

        await late.AssertProblem(410, "challenge_expired");
        await (await client.PostAsync("/v1/verify", Burst(subject, challenge))).AssertProblem(409, "challenge_used");
    }

    [Fact]
    public async Task A_challenge_issued_for_another_subject_is_refused()
    {
        var subject = await EnrollAsync();
        var other = await EnrollAsync();
        var challenge = await ChallengeAsync(other);

        await (await client.PostAsync("/v1/verify", Burst(subject, challenge))).AssertProblem(409, "challenge_subject_mismatch");
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
            form.Add(new ByteArrayContent(TurnClip[i]), "frame", $"f{i}.jpg");
        }

        await (await client.PostAsync("/v1/verify", form)).AssertProblem(400, "too_many_images");
        var retry = await client.PostAsync("/v1/verify", Burst(subject, challenge));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task An_unknown_challenge_is_not_found() =>
        await (await client.PostAsync("/v1/verify", Burst(await EnrollAsync(),
            JsonDocument.Parse("""{"challengeId":"0000","actions":["turn_left"]}""").RootElement)))
            .AssertProblem(404, "challenge_not_found");
}
