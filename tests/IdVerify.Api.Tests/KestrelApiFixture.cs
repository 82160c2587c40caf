using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>
/// The real service behind a real Kestrel on a free 127.0.0.1 port: what the in-memory test server cannot show (Kestrel's
/// own limits, bytes on a socket), and memory measured without the in-memory server buffering request bodies nobody reads.
/// </summary>
public sealed class KestrelApiFixture : IDisposable
{
    public KestrelApiFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>The service started with <paramref name="settings"/> on top of the test defaults (the kiosk tests enable the page).</summary>
    internal KestrelApiFixture(IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            Factory.Settings[key] = value;
        }

        Factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        var address = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public ApiFactory Factory { get; } = new();

    public int Port { get; }

    /// <summary>A key with every scope, as the in-memory clients carry.</summary>
    public string ApiKey => Factory.AllScopesKey;

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(IdVerify.Api.Infrastructure.ApiKeyHandler.HeaderName, ApiKey);
        return client;
    }

    public void Dispose() => Factory.Dispose();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    /// <summary>Run alone: the memory tests measure the whole test process.</summary>
    public const string Name = "memory";
}
