using System.Net;
using IdVerify.Api.Infrastructure;
using IdVerify.Tests;
using Microsoft.Extensions.DependencyInjection;

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

        // The one slot is held, so eight verifies overlap however fast each is: one may wait in the queue, the other
        // seven are turned away at once; the one that waited is served once the slot is free.
        var gate = factory.Services.GetRequiredService<InferenceGate>();
        var running = await gate.EnterAsync(CancellationToken.None);
        var pending = Enumerable.Range(0, 8).Select(_ => client.PostAsync("/v1/verify", HttpHelpers.Form(subject, ("probe.jpg", photo)))).ToList();
        var deadline = Task.Delay(TimeSpan.FromMinutes(1));
        while (pending.Count(t => t.IsCompleted) < 7 && await Task.WhenAny(pending.Where(t => !t.IsCompleted).Append(deadline)) != deadline)
        {
        }

        running.Dispose();
        var responses = await Task.WhenAll(pending);

        var turnedAway = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(7, turnedAway.Count);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        await turnedAway[0].AssertProblem(503, "overloaded");
        Assert.Equal("1", turnedAway[0].Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task Ready_reports_degraded_while_requests_wait_and_unhealthy_once_the_queue_is_full()
    {
        using var factory = new ApiFactory();
        factory.Settings["Inference:MaxConcurrentRequests"] = "1";
        factory.Settings["Inference:MaxQueuedRequests"] = "1";
        var client = factory.CreateClient();
        var gate = factory.Services.GetRequiredService<InferenceGate>();
        async Task<(HttpStatusCode, string)> Ready()
        {
            var response = await client.GetAsync("/health/ready");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var idle = await Ready();
        var running = await gate.EnterAsync(CancellationToken.None);
        var busy = await Ready();
        var waiting = gate.EnterAsync(CancellationToken.None);
        var full = await Ready();
        var turnedAway = await client.PostAsync("/v1/verify", HttpHelpers.Form("anyone", "face_recognition/tests/test_images/obama3.jpg"));
        running.Dispose();
        (await waiting).Dispose();
        var after = await Ready();

        Assert.Equal((HttpStatusCode.OK, "Healthy"), idle);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), busy);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), full);
        await turnedAway.AssertProblem(503, "overloaded");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), after);
    }
}
