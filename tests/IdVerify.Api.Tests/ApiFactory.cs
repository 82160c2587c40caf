using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace IdVerify.Api.Tests;

/// <summary>The real service (real models, real SQLite file in a temp folder) on the in-memory test server.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("idverify-api-").FullName;

    public string DatabasePath => Path.Combine(directory, "idverify.db");

    public string Directory => directory;

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>When set, every request appears to come from this address (no traffic leaves the process).</summary>
    public System.Net.IPAddress? RemoteAddress { get; set; }

    /// <summary>
    /// The service's clock: it starts at the real time and stands still until a test moves it (<c>Advance</c>), for
    /// instance to expire a challenge without waiting. It only moves forward, so a moved clock stays moved for later tests.
    /// </summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:SqlitePath", DatabasePath);
        // Swaps and registrations write here, never into the repository's models folder.
        builder.UseSetting("Models:ActiveFile", Path.Combine(directory, "active.json"));
        builder.UseSetting("Models:LocalManifest", Path.Combine(directory, "local-manifest.json"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            if (RemoteAddress is { } address)
            {
                services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddressFilter(address));
            }
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

/// <summary>Stamps a remote address on each in-memory request, as Kestrel would for a caller on another machine.</summary>
public sealed class RemoteAddressFilter(System.Net.IPAddress address) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (Microsoft.AspNetCore.Http.HttpContext context, Func<Task> following) =>
        {
            context.Connection.RemoteIpAddress = address;
            await following();
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
