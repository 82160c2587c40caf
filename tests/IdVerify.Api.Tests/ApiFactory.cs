using System.Collections.Concurrent;
using System.Net;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IdVerify.Api.Tests;

/// <summary>
/// The real service (real models, real SQLite file in a temp folder) on the in-memory test server. Clients from
/// <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> carry a key with every scope (<see cref="AllScopesKey"/>);
/// <see cref="ClientWithKey"/> makes one with a given key or none.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("idverify-api-").FullName;
    private readonly Lazy<string> allScopesKey;

    public ApiFactory() => allScopesKey = new(() => CreateKeyAsync("tests-all-scopes", ApiKeyScopes.All).GetAwaiter().GetResult());

    public string DatabasePath => Path.Combine(directory, "idverify.db");

    public string Directory => directory;

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>When set, every request appears to come from this address (no traffic leaves the process); read per request.</summary>
    public IPAddress? RemoteAddress { get; set; }

    /// <summary>What the service logged, one formatted line per entry.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Each request as the service saw it once its pipeline ran: the caller's address and the principal's name.</summary>
    public ConcurrentQueue<(string Path, IPAddress? Remote, string? User)> Seen { get; } = new();

    /// <summary>
    /// The service's clock: it starts at the real time and stands still until a test moves it (<c>Advance</c>), for
    /// instance to expire a challenge without waiting. It only moves forward, so a moved clock stays moved for later tests.
    /// </summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A key with every scope, created on first use; default clients send it.</summary>
    public string AllScopesKey => allScopesKey.Value;

    /// <summary>Creates a key in the service's store, as <c>idverify keys create</c> would; returns the key.</summary>
    public async Task<string> CreateKeyAsync(string name, IReadOnlyCollection<string> scopes, DateTimeOffset? expiresAt = null)
    {
        return (await Services.GetRequiredService<ApiKeyService>().CreateAsync(name, scopes, expiresAt)).Secret;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> as X-Api-Key, or no key at all when null.</summary>
    public HttpClient ClientWithKey(string? apiKey)
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Remove(ApiKeyHandler.HeaderName);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, apiKey);
        }

        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, AllScopesKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        // Swaps and registrations write here, never into the repository's models folder.
        builder.UseSetting("Models:ActiveFile", Path.Combine(directory, "active.json"));
        builder.UseSetting("Models:LocalManifest", Path.Combine(directory, "local-manifest.json"));
        // The shared service answers many tests' requests with one key; tests of the limits set their own.
        foreach (var scope in new[] { "Verify", "Identify", "Enroll", "SubjectsReenroll", "SubjectsDelete", "Audit", "Admin" })
        {
            builder.UseSetting($"RateLimits:{scope}:PermitLimit", "0");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter>(new RequestProbeFilter(this));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>
/// Stamps <see cref="ApiFactory.RemoteAddress"/> on each request, as Kestrel would for a caller on another machine,
/// and records what the service made of the request after its pipeline ran (forwarded address, authenticated name).
/// </summary>
public sealed class RequestProbeFilter(ApiFactory factory) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (Microsoft.AspNetCore.Http.HttpContext context, Func<Task> following) =>
        {
            if (factory.RemoteAddress is { } address)
            {
                context.Connection.RemoteIpAddress = address;
            }

            await following();
            factory.Seen.Enqueue((context.Request.Path, context.Connection.RemoteIpAddress, context.User.Identity?.Name));
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
