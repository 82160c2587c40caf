using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IdVerify.Api.Tests;

/// <summary>The bootstrap key, key management over HTTP, revocation and expiry, open mode, rate limits and forwarded headers.</summary>
public sealed class ApiKeyApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task First_start_writes_a_bootstrap_key_readable_only_by_its_owner_and_logs_the_path_not_the_key()
    {
        using var factory = new ApiFactory();
        factory.StartServer();

        var path = Path.Combine(factory.Directory, ApiKeyBootstrap.FileName);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.Matches("^idv_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains(factory.Logs, l => l.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs, l => l.Contains(key, StringComparison.Ordinal) || l.Contains(key[4..20], StringComparison.Ordinal));

        // The bootstrap key holds every scope.
        using var client = factory.ClientWithKey(key);
        var keys = await client.GetFromJsonAsync<JsonElement>("/v1/admin/keys");
        var initial = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "initial");
        Assert.Equal(ApiKeyScopes.All, initial.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/liveness/challenges", null)).StatusCode);
    }

    [Fact]
    public async Task A_database_that_holds_keys_gets_no_bootstrap_key()
    {
        using var factory = new ApiFactory();
        var store = new SqliteApiKeyStore(new SqliteDatabase(factory.DatabasePath));
        await store.AddAsync(new ApiKey("provisioned", [ApiKeyScopes.Verify], DateTimeOffset.UtcNow), ApiKeySecret.Hash(ApiKeySecret.Generate()));

        factory.StartServer();

        Assert.False(File.Exists(Path.Combine(factory.Directory, ApiKeyBootstrap.FileName)));
    }

    [Theory]
    [InlineData("Urls", "http://0.0.0.0:8080")]
    [InlineData("Urls", "http://localhost:8080;http://+:9090")]
    [InlineData("Urls", "http://192.0.2.7:8080")]
    [InlineData("HTTP_PORTS", "8080")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://[::]:8080")]
    public void Open_mode_refuses_to_start_on_an_address_another_machine_can_reach(string setting, string address)
    {
        using var factory = new ApiFactory();
        factory.Settings["Auth:Mode"] = "open";
        factory.Settings[setting] = address;

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        Assert.Contains("Auth:Mode=open", error.GetBaseException().Message, StringComparison.Ordinal);
        Assert.Contains("loopback", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_mode_on_loopback_serves_every_route_without_a_key_and_warns_at_start()
    {
        using var factory = new ApiFactory();
        factory.Settings["Auth:Mode"] = "open";
        factory.Settings["Urls"] = "http://127.0.0.1:8080;http://localhost:8081;http://[::1]:8082";
        using var client = factory.ClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/admin/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/liveness/challenges", null)).StatusCode);
        Assert.Contains(factory.Logs, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Auth:Mode=open", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(factory.Directory, ApiKeyBootstrap.FileName)));
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_over_http_and_a_revoked_key_is_refused_at_once()
    {
        using var factory = new ApiFactory();
        var admin = factory.CreateClient();

        var created = await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "kiosk-042", scopes = new[] { "verify" }, expires = "90d" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Json();
        var key = body.GetProperty("key").GetString()!;
        Assert.Matches("^idv_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(factory.Time.GetUtcNow().AddDays(90), body.GetProperty("expiresAt").GetDateTimeOffset());
        using var kiosk = factory.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.Created, (await kiosk.PostAsync("/v1/liveness/challenges", null)).StatusCode);

        // The last use is written off the request path; give it a moment.
        string listed;
        JsonElement entry;
        var tries = 0;
        do
        {
            await Task.Delay(tries++ == 0 ? 0 : 100);
            listed = await admin.GetStringAsync("/v1/admin/keys");
            entry = JsonDocument.Parse(listed).RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "kiosk-042");
        }
        while (entry.GetProperty("lastUsedAt").ValueKind == JsonValueKind.Null && tries < 50);

        Assert.Contains("\"kiosk-042\"", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(ApiKeySecret.Hash(key)), listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(ApiKeySecret.Hash(key)), listed, StringComparison.Ordinal);
        Assert.Equal("active", entry.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);

        await (await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "kiosk-042", scopes = new[] { "verify" } })).AssertProblem(409, "key_exists");
        await (await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "kiosk-043", scopes = new[] { "everything" } })).AssertProblem(400, "invalid_request");
        await (await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "kiosk 043", scopes = new[] { "verify" } })).AssertProblem(400, "invalid_request");
        await (await admin.PostAsJsonAsync("/v1/admin/keys", new { name = "kiosk-043", scopes = new[] { "verify" }, expires = "soon" })).AssertProblem(400, "invalid_request");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/v1/admin/keys/kiosk-042")).StatusCode);
        await (await kiosk.PostAsync("/v1/liveness/challenges", null)).AssertProblem(401, "api_key_invalid");
        await (await admin.DeleteAsync("/v1/admin/keys/kiosk-999")).AssertProblem(404, "key_not_found");
        var revoked = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/keys")).GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "kiosk-042");
        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_key_revoked_by_another_process_is_refused_once_the_cached_copy_is_older_than_the_ttl()
    {
        using var factory = new ApiFactory();
        using var kiosk = factory.ClientWithKey(await factory.CreateKeyAsync("kiosk-7", [ApiKeyScopes.Verify]));
        Assert.Equal(HttpStatusCode.Created, (await kiosk.PostAsync("/v1/liveness/challenges", null)).StatusCode);

        // As `idverify keys revoke` does it: in the database, not through the service.
        await new SqliteApiKeyStore(new SqliteDatabase(factory.DatabasePath)).RevokeAsync("kiosk-7", DateTimeOffset.UtcNow);
        var cached = await kiosk.PostAsync("/v1/liveness/challenges", null);
        factory.Time.Advance(TimeSpan.FromSeconds(10));
        var expired = await kiosk.PostAsync("/v1/liveness/challenges", null);

        Assert.Equal(HttpStatusCode.Created, cached.StatusCode);
        await expired.AssertProblem(401, "api_key_invalid");
    }

    [Fact]
    public async Task A_key_stops_working_the_moment_it_expires_even_from_the_cache()
    {
        using var factory = new ApiFactory();
        using var kiosk = factory.ClientWithKey(await factory.CreateKeyAsync("kiosk-8", [ApiKeyScopes.Verify], factory.Time.GetUtcNow().AddSeconds(5)));
        Assert.Equal(HttpStatusCode.Created, (await kiosk.PostAsync("/v1/liveness/challenges", null)).StatusCode);

        factory.Time.Advance(TimeSpan.FromSeconds(5));

        await (await kiosk.PostAsync("/v1/liveness/challenges", null)).AssertProblem(401, "api_key_invalid");
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit_per_scope_answering_429_with_retry_after()
    {
        using var factory = new ApiFactory();
        factory.Settings["RateLimits:Verify:PermitLimit"] = "2";
        factory.Settings["RateLimits:Verify:Window"] = "00:01:00";
        using var first = factory.ClientWithKey(await factory.CreateKeyAsync("kiosk-a", [ApiKeyScopes.Verify, ApiKeyScopes.Admin]));
        using var second = factory.ClientWithKey(await factory.CreateKeyAsync("kiosk-b", [ApiKeyScopes.Verify]));

        var allowed = new[] { await first.PostAsync("/v1/liveness/challenges", null), await first.PostAsync("/v1/liveness/challenges", null) };
        var limited = await first.PostAsync("/v1/liveness/challenges", null);

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var problem = await limited.AssertProblem(429, "rate_limited");
        Assert.Contains("kiosk-a", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        // Another key, another scope of the same key, and the open routes are not affected.
        Assert.Equal(HttpStatusCode.Created, (await second.PostAsync("/v1/liveness/challenges", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/admin/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_are_believed_only_from_a_configured_proxy()
    {
        using var factory = new ApiFactory { RemoteAddress = IPAddress.Parse("192.0.2.1") };
        factory.Settings["ForwardedHeaders:KnownProxies:0"] = "192.0.2.1";
        using var client = factory.ClientWithKey(null);
        async Task<IPAddress?> SeenAs(string probe)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live?" + probe);
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            await client.SendAsync(request);
            return factory.Seen.Last().Remote;
        }

        var fromProxy = await SeenAs("proxy");
        factory.RemoteAddress = IPAddress.Parse("198.51.100.4");
        var fromElsewhere = await SeenAs("elsewhere");
        factory.RemoteAddress = IPAddress.Loopback;
        var fromLoopback = await SeenAs("loopback");

        Assert.Equal(IPAddress.Parse("203.0.113.9"), fromProxy);
        Assert.Equal(IPAddress.Parse("198.51.100.4"), fromElsewhere);
        Assert.Equal(IPAddress.Loopback, fromLoopback);
    }

    [Fact]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored_even_from_loopback()
    {
        using var factory = new ApiFactory { RemoteAddress = IPAddress.Loopback };
        using var client = factory.ClientWithKey(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        await client.SendAsync(request);

        Assert.Equal(IPAddress.Loopback, factory.Seen.Last().Remote);
    }

    /// <summary>
    /// What the key check costs a request: the handler's authentication (SHA-256 of the key, the cached lookup, the
    /// principal) timed in process, and the store lookup it replaces on a cache miss. A verify takes 25-40 ms.
    /// </summary>
    [Fact]
    public async Task The_key_check_costs_microseconds_per_request()
    {
        using var factory = new ApiFactory();
        var key = await factory.CreateKeyAsync("kiosk-timing", [ApiKeyScopes.Verify]);
        using var scope = factory.Services.CreateScope();
        var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
        var keys = factory.Services.GetRequiredService<ApiKeyService>();
        async Task<double> Authenticate()
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Headers[ApiKeyHandler.HeaderName] = key;
            var clock = Stopwatch.StartNew();
            var result = await authentication.AuthenticateAsync(context, ApiKeyHandler.SchemeName);
            var elapsed = clock.Elapsed.TotalMicroseconds;
            Assert.True(result.Succeeded);
            return elapsed;
        }

        async Task<double> Lookup()
        {
            var clock = Stopwatch.StartNew();
            Assert.NotNull(await keys.FindAsync(key));
            return clock.Elapsed.TotalMicroseconds;
        }

        for (var i = 0; i < 200; i++)
        {
            await Authenticate();
            await Lookup();
        }

        var cached = new List<double>();
        var store = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            cached.Add(await Authenticate());
            store.Add(await Lookup());
        }

        static double P(List<double> values, double q) => values.Order().ElementAt((int)(q * (values.Count - 1)));
        output.WriteLine($"key check (cached) p50 {P(cached, 0.5):F1} µs, p99 {P(cached, 0.99):F1} µs; store lookup p50 {P(store, 0.5):F1} µs, p99 {P(store, 0.99):F1} µs");
        Assert.True(P(cached, 0.5) < 200, $"p50 {P(cached, 0.5):F1} µs");
    }
}
