using System.Net;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class QualityApiTests(ApiFactory factory)
{
    private const string Obama = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private readonly HttpClient client = factory.CreateClient();

    private static byte[] Degrade(string photo, Action<IImageProcessingContext> operation)
    {
        using var image = Image.Load<Rgb24>(TestData.Read(photo));
        image.Mutate(operation);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Enroll_refuses_a_blurred_photo_with_quality_too_low_and_the_issues()
    {
        var subject = "q-" + Guid.NewGuid().ToString("N")[..12];
        var response = await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, ("blurred.jpg", Degrade(Obama, x => x.GaussianBlur(8)))));

        var problem = await response.AssertProblem(422, "quality_too_low");
        Assert.Contains("too_blurry", problem.GetProperty("issues").EnumerateArray().Select(i => i.GetString()));
        await (await client.GetAsync($"/v1/subjects/{subject}")).AssertProblem(404, "subject_not_found");
    }

    [Fact]
    public async Task Verify_reports_a_dark_selfie_and_does_not_verify_it()
    {
        var subject = "q-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama))).EnsureSuccessStatusCode();

        var response = await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, ("dark.jpg", Degrade(Obama, x => x.Brightness(0.12f)))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        var quality = result.GetProperty("quality");
        Assert.False(quality.GetProperty("passed").GetBoolean());
        Assert.Contains("too_dark", quality.GetProperty("issues").EnumerateArray().Select(i => i.GetString()));
        Assert.True(quality.GetProperty("values").GetProperty("brightness").GetSingle() < 35);
        Assert.False(result.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Verify_of_a_good_selfie_reports_passing_quality_values()
    {
        var subject = "q-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Obama))).EnsureSuccessStatusCode();

        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, "face_recognition/tests/test_images/obama3.jpg"))).Json();

        var quality = result.GetProperty("quality");
        Assert.True(quality.GetProperty("passed").GetBoolean());
        Assert.Equal(0, quality.GetProperty("issues").GetArrayLength());
        foreach (var value in new[] { "interEyeDistance", "sharpness", "brightness", "clippedFraction", "yaw", "pitch", "roll", "cutByFrame" })
        {
            Assert.True(quality.GetProperty("values").TryGetProperty(value, out _), value);
        }
    }
}
