using System.Net.Http.Json;
using IdVerify.Core;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

public sealed class MatchingPolicyApiTests
{
    [Fact]
    public void Service_refuses_to_start_with_an_fmr_target_the_calibration_cannot_support()
    {
        using var factory = new ApiFactory();
        factory.Settings["Matching:FmrTarget"] = "0.000001"; // calibrated down to 1e-5 on lfw_devtrain, not below

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var cause = error as IdVerifyException ?? error.InnerException as IdVerifyException ?? error.GetBaseException() as IdVerifyException;
        Assert.NotNull(cause);
        Assert.Equal(ErrorCodes.FmrTargetUnsupported, cause.Code);
        Assert.Contains("0.001", cause.Message, StringComparison.Ordinal);
    }
}

[Collection(ApiCollection.Name)]
public sealed class PerRequestFmrTargetTests(ApiFactory factory)
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Verify_states_the_fmr_target_and_aggregation_it_decided_at()
    {
        var subject = "fmr-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, "face_recognition/examples/knn_examples/train/obama/obama.jpg", "face_recognition/examples/knn_examples/train/obama/obama2.jpg")))
            .EnsureSuccessStatusCode();

        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, "face_recognition/tests/test_images/obama3.jpg"))).Json();

        Assert.Equal(0.001, result.GetProperty("fmrTarget").GetDouble());
        // The manifest's calibrated threshold for FMR 1e-3, not a cosine of the service's own choosing.
        var calibrated = IdVerify.Core.Models.ModelManifest.Load(TestData.Models.ManifestPath)
            .Get("mobilefacenet-paddlex-128d", IdVerify.Core.Models.ModelRoles.Embedder).Calibration!.Single(c => c.Fmr == 0.001).Threshold;
        Assert.Equal(calibrated, result.GetProperty("threshold").GetDouble(), 4);
        Assert.Equal("mean", result.GetProperty("templateAggregation").GetString());
        Assert.Equal(2, result.GetProperty("templatesCompared").GetInt32());
    }

    [Fact]
    public async Task A_request_may_ask_for_a_stricter_calibrated_target_but_not_a_looser_one()
    {
        var subject = "fmr-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, "face_recognition/examples/knn_examples/train/obama/obama.jpg"))).EnsureSuccessStatusCode();
        var image = Convert.ToBase64String(IdVerify.Tests.TestData.Read("face_recognition/tests/test_images/obama3.jpg"));

        var looser = await client.PostAsJsonAsync("/v1/verify", new { subjectId = subject, image, fmrTarget = 0.01 });
        var uncalibrated = await client.PostAsJsonAsync("/v1/verify", new { subjectId = subject, image, fmrTarget = 1e-6 });

        await looser.AssertProblem(400, "fmr_target_unsupported");
        await uncalibrated.AssertProblem(400, "fmr_target_unsupported");
    }
}
