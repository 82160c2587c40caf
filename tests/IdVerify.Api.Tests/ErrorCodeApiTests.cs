using System.Net.Http.Json;
using System.Text;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

/// <summary>Every stable error code, produced by a real bad input through HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorCodeApiTests(ApiFactory factory)
{
    private const string Dad3 = "azure_face_samples/Family1-Dad3.jpg";
    private readonly HttpClient client = factory.CreateClient();

    private async Task<string> EnrolledSubject()
    {
        var subject = "err-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Dad3))).EnsureSuccessStatusCode();
        return subject;
    }

    private async Task<HttpResponseMessage> VerifyWith(byte[] image, string? subject = null) =>
        await client.PostAsync("/v1/verify", HttpHelpers.Form(subject ?? await EnrolledSubject(), ("probe", image)));

    [Fact]
    public async Task Missing_image_gives_image_missing()
    {
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(await EnrolledSubject(), Array.Empty<string>())))
            .AssertProblem(400, "image_missing");
        await (await client.PostAsJsonAsync("/v1/enroll", new { subjectId = "nobody", images = Array.Empty<string>() }))
            .AssertProblem(400, "image_missing");
    }

    [Fact]
    public async Task Truncated_jpeg_gives_image_unreadable() =>
        await (await VerifyWith(BadImages.Truncated(TestData.Read(Dad3)))).AssertProblem(400, "image_unreadable");

    [Fact]
    public async Task Bad_base64_gives_image_unreadable() =>
        await (await client.PostAsJsonAsync("/v1/verify", new { subjectId = await EnrolledSubject(), image = "@@not base64@@" }))
            .AssertProblem(400, "image_unreadable");

    [Fact]
    public async Task Decompression_bomb_gives_image_too_large() =>
        await (await VerifyWith(BadImages.PixelBomb(60_000, 60_000))).AssertProblem(413, "image_too_large");

    [Fact]
    public async Task Oversized_upload_gives_image_too_large() =>
        await (await VerifyWith(new byte[11 * 1024 * 1024])).AssertProblem(413, "image_too_large");

    [Fact]
    public async Task Tiff_gives_unsupported_format() =>
        await (await VerifyWith(BadImages.AsTiff(TestData.Read(Dad3)))).AssertProblem(415, "unsupported_format");

    [Fact]
    public async Task Photo_without_face_gives_no_face() =>
        await (await VerifyWith(TestData.Read("insightface/test_res/data/crop/no_face.png"))).AssertProblem(422, "no_face");

    [Fact]
    public async Task Group_photo_gives_multiple_faces() =>
        await (await VerifyWith(TestData.Read("face-api.js/test/images/faces.jpg"))).AssertProblem(422, "multiple_faces");

    [Fact]
    public async Task Tiny_face_gives_face_too_small() =>
        await (await VerifyWith(BadImages.Shrunk(TestData.Read("debian/grace_hopper_512x512.jpg"), 80))).AssertProblem(422, "face_too_small");

    [Fact]
    public async Task Unknown_subject_gives_subject_not_found() =>
        await (await VerifyWith(TestData.Read(Dad3), "never-enrolled")).AssertProblem(404, "subject_not_found");

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("")]
    public async Task Bad_subject_id_gives_invalid_subject_id(string subjectId) =>
        await (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subjectId, Dad3))).AssertProblem(400, "invalid_subject_id");

    [Fact]
    public async Task Bad_subject_id_in_the_path_gives_invalid_subject_id() =>
        await (await client.GetAsync("/v1/subjects/semi%3Bcolon")).AssertProblem(400, "invalid_subject_id");

    [Fact]
    public async Task Enrolling_past_the_template_limit_gives_too_many_templates()
    {
        var subject = "full-" + Guid.NewGuid().ToString("N")[..12];
        var photos = new[]
        {
            // One person (a subject's added templates must match it): five templates per enrollment.
            "azure_face_samples/Family1-Dad3.jpg", "azure_face_samples/Family1-Dad3.jpg", "azure_face_samples/Family1-Dad3.jpg",
            "azure_face_samples/Family1-Dad3.jpg", "azure_face_samples/Family1-Dad3.jpg",
        };
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, photos))).EnsureSuccessStatusCode();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, photos))).EnsureSuccessStatusCode();

        await (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Dad3))).AssertProblem(409, "too_many_templates");
        Assert.Equal(10, (await (await client.GetAsync($"/v1/subjects/{subject}")).Json()).GetProperty("templateCount").GetInt32());
    }

    [Fact]
    public async Task Six_images_in_one_enrollment_give_too_many_images()
    {
        var photos = Enumerable.Repeat(Dad3, 6).ToArray();
        await (await client.PostAsync("/v1/enroll", HttpHelpers.Form("six", photos))).AssertProblem(400, "too_many_images");
    }

    [Fact]
    public async Task Malformed_json_gives_invalid_request() =>
        await (await client.PostAsync("/v1/verify", new StringContent("{\"subjectId\": ", Encoding.UTF8, "application/json")))
            .AssertProblem(400, "invalid_request");

    [Fact]
    public async Task Unsupported_body_type_gives_unsupported_media_type() =>
        await (await client.PostAsync("/v1/verify", new StringContent("subjectId=x", Encoding.UTF8, "text/plain")))
            .AssertProblem(415, "unsupported_media_type");

    [Fact]
    public async Task Unknown_route_gives_a_coded_problem() =>
        await (await client.GetAsync("/v1/nothing-here")).AssertProblem(404, "not_found");
}
