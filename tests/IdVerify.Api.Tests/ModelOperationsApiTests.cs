using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Templates;
using IdVerify.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>Live model swaps, template versioning and model registration, each on its own service instance.</summary>
public sealed class ModelOperationsApiTests
{
    private const string Paddle = "mobilefacenet-paddlex-128d";
    private const string Treb1en = "mobilefacenet-treb1en-128d";
    private const string Enrolled = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Probe = "face_recognition/tests/test_images/obama3.jpg";

    private static async Task<string> EnrollAsync(HttpClient client, string photo = Enrolled, bool replace = false)
    {
        var subject = "mo-" + Guid.NewGuid().ToString("N")[..12];
        (await client.PostAsync("/v1/enroll" + (replace ? "?replace=true" : ""), HttpHelpers.Form(subject, photo))).EnsureSuccessStatusCode();
        return subject;
    }

    private static async Task<HttpResponseMessage> SwapAsync(HttpClient client, string role, string id) =>
        await client.PutAsJsonAsync($"/v1/admin/models/{role}", new { id });

    [Fact]
    public async Task Models_lists_the_active_bundle_with_provider_and_every_manifest_model()
    {
        using var factory = new ApiFactory();
        var models = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/v1/models");

        var active = models.GetProperty("active");
        Assert.Equal(Paddle, active.GetProperty("embedder").GetProperty("id").GetString());
        Assert.Equal("6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743", active.GetProperty("embedder").GetProperty("sha256").GetString());
        Assert.Equal("cpu", active.GetProperty("executionProvider").GetProperty("actual").GetString());
        Assert.True(active.GetProperty("warmUpMs").GetDouble() > 0);
        var all = models.GetProperty("models").EnumerateArray().ToList();
        Assert.Contains(all, m => m.GetProperty("id").GetString() == "scrfd-500m-kps");
        Assert.True(all.Single(m => m.GetProperty("id").GetString() == "yunet-2026may").GetProperty("present").GetBoolean());
    }

    [Fact]
    public async Task Swapping_the_embedder_under_load_loses_no_request_and_legacy_subjects_still_verify()
    {
        using var factory = new ApiFactory();
        factory.Settings["Matching:KeepLegacyEmbedders"] = "true";
        var client = factory.CreateClient();
        var before = await EnrollAsync(client);
        var responses = new ConcurrentBag<(HttpStatusCode Status, string? Embedder, bool Verified)>();
        using var stop = new CancellationTokenSource();

        async Task Stream()
        {
            // Bounded: at most 60 requests per worker, and it stops once the swap is done and seen.
            for (var i = 0; i < 60 && !stop.IsCancellationRequested; i++)
            {
                var response = await client.PostAsync("/v1/verify", HttpHelpers.Form(before, Probe));
                var body = response.IsSuccessStatusCode ? await response.Json() : default;
                responses.Add((response.StatusCode, body.ValueKind == JsonValueKind.Object ? body.GetProperty("models").GetProperty("embedder").GetString() : null,
                    body.ValueKind == JsonValueKind.Object && body.GetProperty("verified").GetBoolean()));
            }
        }

        var workers = Enumerable.Range(0, 3).Select(_ => Task.Run(Stream)).ToArray();
        await Task.Delay(300);
        var swap = await SwapAsync(client, "embedder", Treb1en);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(HttpStatusCode.OK, swap.StatusCode);
        var swapped = await swap.Json();
        Assert.Equal(Treb1en, swapped.GetProperty("active").GetProperty("embedder").GetProperty("id").GetString());
        Assert.Equal(Paddle, swapped.GetProperty("active").GetProperty("legacyEmbedders")[0].GetProperty("id").GetString());
        Assert.NotEmpty(responses);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(responses, r => Assert.True(r.Verified));
        // Every answer names the embedder that made the compared vectors: the old subject's are the legacy model's.
        Assert.All(responses, r => Assert.Equal(Paddle, r.Embedder));

        var after = await EnrollAsync(client);
        var fresh = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(after, Probe))).Json();
        Assert.Equal(Treb1en, fresh.GetProperty("models").GetProperty("embedder").GetString());
        Assert.True(fresh.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Without_legacy_an_old_subject_must_reenroll_and_reenrollment_works()
    {
        using var factory = new ApiFactory();
        var client = factory.CreateClient();
        var subject = await EnrollAsync(client);
        (await SwapAsync(client, "embedder", Treb1en)).EnsureSuccessStatusCode();

        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).AssertProblem(409, "reenrollment_required");

        (await client.PostAsync("/v1/enroll", HttpHelpers.Form(subject, Enrolled))).EnsureSuccessStatusCode();
        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).Json();
        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal(Treb1en, result.GetProperty("models").GetProperty("embedder").GetString());
        // treb1en's own calibrated FMR 1e-3 threshold from the manifest.
        var calibrated = IdVerify.Core.Models.ModelManifest.Load(TestData.Models.ManifestPath)
            .Get(Treb1en, IdVerify.Core.Models.ModelRoles.Embedder).Calibration!.Single(c => c.Fmr == 0.001).Threshold;
        Assert.Equal(calibrated, result.GetProperty("threshold").GetDouble(), 4);
    }

    [Fact]
    public async Task Migrating_stored_crops_restores_matching_after_an_embedder_swap()
    {
        using var factory = new ApiFactory();
        factory.Settings["Templates:KeepCrops"] = "true";
        var client = factory.CreateClient();
        var subject = await EnrollAsync(client);
        (await SwapAsync(client, "embedder", Treb1en)).EnsureSuccessStatusCode();
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).AssertProblem(409, "reenrollment_required");

        var engine = factory.Services.GetRequiredService<FaceEngine>();
        using (var lease = engine.Acquire())
        {
            var report = await TemplateMigrator.MigrateAsync(factory.Services.GetRequiredService<ITemplateStore>(), lease.Services.Pipeline.Embedder,
                new FaceCropProtector(factory.Services.GetRequiredService<DataKeyRing>()), TimeProvider.System);
            Assert.True(report.TemplatesAdded >= 1);
        }

        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).Json();
        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal(Treb1en, result.GetProperty("models").GetProperty("embedder").GetString());
    }

    [Fact]
    public async Task Scrfd_works_as_a_swap_in_detector()
    {
        using var factory = new ApiFactory();
        var client = factory.CreateClient();
        var subject = await EnrollAsync(client);

        (await SwapAsync(client, "detector", "scrfd-500m-kps")).EnsureSuccessStatusCode();
        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).Json();

        Assert.Equal("scrfd-500m-kps", result.GetProperty("models").GetProperty("detector").GetString());
        Assert.True(result.GetProperty("match").GetBoolean(), result.ToString());
        Assert.Equal(5, result.GetProperty("face").GetProperty("landmarks").GetArrayLength());
    }

    private static MultipartFormDataContent Registration(byte[] onnx, object description)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(onnx), "model", "model.onnx" },
            { new StringContent(JsonSerializer.Serialize(description)), "description" },
            { new ByteArrayContent(TestData.Read(Enrolled)), "probe", "probe.jpg" },
        };
        return form;
    }

    private static object EmbedderDescription(string id) => new
    {
        id,
        role = "embedder",
        family = "arcface112",
        licence = "test",
        input = new { name = "input", layout = "NCHW", width = 112, height = 112, colorOrder = "BGR", mean = 127.5, scale = 1 / 127.5 },
        output = "embedding",
        dimensions = 128,
    };

    [Fact]
    public async Task A_corrupt_or_wrong_shaped_model_is_refused_and_the_old_model_keeps_serving()
    {
        using var factory = new ApiFactory();
        var client = factory.CreateClient();
        var subject = await EnrollAsync(client);
        var yunet = await File.ReadAllBytesAsync(await TestData.ModelFileAsync("yunet-2026may"));

        var corrupt = await client.PostAsync("/v1/admin/models", Registration([.. yunet[..5000], .. new byte[5000]], EmbedderDescription("broken-embedder")));
        var wrongShape = await client.PostAsync("/v1/admin/models", Registration(yunet, EmbedderDescription("yunet-as-embedder")));

        await corrupt.AssertProblem(422, "model_rejected");
        var problem = await wrongShape.AssertProblem(422, "model_rejected");
        Assert.Contains("input", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        await (await SwapAsync(client, "embedder", "yunet-as-embedder")).AssertProblem(404, "model_not_found");
        var result = await (await client.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).Json();
        Assert.Equal(Paddle, result.GetProperty("models").GetProperty("embedder").GetString());
        Assert.False(File.Exists(Path.Combine(factory.Directory, "custom", "broken-embedder.onnx")));
    }

    [Fact]
    public async Task A_registered_model_is_checked_on_a_real_face_and_an_uncalibrated_embedder_cannot_go_live()
    {
        using var factory = new ApiFactory();
        var client = factory.CreateClient();
        var onnx = await File.ReadAllBytesAsync(await TestData.ModelFileAsync("mobilefacenet-treb1en-128d"));

        var registered = await client.PostAsync("/v1/admin/models", Registration(onnx, EmbedderDescription("site-embedder")));

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var entry = await registered.Json();
        Assert.Equal("f055d9c9a4d826d198c42666590fdefa0fdc1374a75ccb6306c3d1b1bf8f74c5", entry.GetProperty("sha256").GetString());
        var models = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Contains(models.GetProperty("models").EnumerateArray(), m => m.GetProperty("id").GetString() == "site-embedder" && m.GetProperty("present").GetBoolean());

        var swap = await SwapAsync(client, "embedder", "site-embedder");
        var problem = await swap.AssertProblem(422, "model_rejected");
        Assert.Contains("calibrated", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        var active = await client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal(Paddle, active.GetProperty("active").GetProperty("embedder").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Admin_routes_refuse_a_kiosk_key_and_serve_an_admin_key_wherever_the_caller_is()
    {
        using var factory = new ApiFactory { RemoteAddress = System.Net.IPAddress.Parse("192.0.2.10") };
        var kiosk = factory.ClientWithKey(await factory.CreateKeyAsync("kiosk-1", [ApiKeyScopes.Verify, ApiKeyScopes.Enroll]));
        var admin = factory.ClientWithKey(await factory.CreateKeyAsync("ops-1", [ApiKeyScopes.Admin]));

        await (await SwapAsync(kiosk, "embedder", Treb1en)).AssertProblem(403, "scope_forbidden");
        var subject = await EnrollAsync(kiosk);
        var result = await (await kiosk.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).Json();
        Assert.Equal(Paddle, result.GetProperty("models").GetProperty("embedder").GetString());
        // The caller's address no longer decides anything: an admin key on another machine is an admin.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/models")).StatusCode);
        await (await admin.PostAsync("/v1/verify", HttpHelpers.Form(subject, Probe))).AssertProblem(403, "scope_forbidden");
    }

    [Fact]
    public void Asking_for_an_unavailable_execution_provider_fails_at_start_with_the_reason()
    {
        using var factory = new ApiFactory();
        factory.Settings["Inference:Provider"] = "cuda";

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("cuda", error.GetBaseException().Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("AllowFallback", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_fallback_allowed_the_fallback_is_shown_not_silent()
    {
        using var factory = new ApiFactory();
        factory.Settings["Inference:Provider"] = "cuda";
        factory.Settings["Inference:AllowFallback"] = "true";

        var models = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/v1/models");

        var provider = models.GetProperty("active").GetProperty("executionProvider");
        Assert.Equal("cuda", provider.GetProperty("requested").GetString());
        Assert.Equal("cpu", provider.GetProperty("actual").GetString());
        Assert.False(string.IsNullOrEmpty(provider.GetProperty("fallbackReason").GetString()));
    }
}
