using System.Net;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

public sealed class AdmissionApiTests
{
    [Fact]
    public async Task A_full_inference_queue_answers_503_with_retry_after_instead_of_queueing_without_limit()
    {
        using var factory = new ApiFactory();
        factory.Settings["Inference:MaxConcurrentRequests"] = "1";
        factory.Settings["Inference:MaxQueuedRequests"] = "1";
        var client = factory.CreateClient();
        var subject = "adm-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, "face_recognition/examples/knn_examples/train/obama/obama.jpg")))
            .EnsureSuccessStatusCode();
        var photo = TestData.Read("face_recognition/tests/test_images/obama3.jpg");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostAsync("/v1/verify", HttpHelpers.Form(subject, ("probe.jpg", photo)))));

        var turnedAway = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(turnedAway);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        await turnedAway[0].AssertProblem(503, "overloaded");
        Assert.Equal("1", turnedAway[0].Headers.RetryAfter?.ToString());
    }
}
