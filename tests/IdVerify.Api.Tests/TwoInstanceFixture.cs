using System.Net;
using System.Security.Cryptography;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Templates;
using IdVerify.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>
/// Two real service instances (each its own models, inference queue and rate limits, on its own Kestrel port) sharing one
/// fresh PostgreSQL database and one set of data keys, as a fleet behind a load balancer would.
/// </summary>
public sealed class TwoInstanceFixture : IDisposable
{
    /// <summary>Failures before a subject locks, on both instances.</summary>
    public const int MaxFailures = 3;

    private readonly List<PostgresDatabase> opened = [];

    public TwoInstanceFixture()
    {
        var dataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Instances = [Start(dataKey), Start(dataKey)];
        ApiKey = Instances[0].Factory.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync("fleet-tests", ApiKeyScopes.All, null).GetAwaiter().GetResult().Secret;
    }

    public PostgresTestDatabase Database { get; } = new();

    public IReadOnlyList<(ApiFactory Factory, int Port)> Instances { get; }

    /// <summary>A key with every scope, created through the first instance; the second finds it in the shared database.</summary>
    public string ApiKey { get; }

    /// <summary>The shared database as a third party (an auditor's tool) opens it.</summary>
    public PostgresDatabase OpenDatabase()
    {
        var database = new PostgresDatabase(Database.ConnectionString);
        opened.Add(database);
        return database;
    }

    public HttpClient Client(int instance)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Instances[instance].Port}"), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, ApiKey);
        return client;
    }

    private (ApiFactory, int) Start(string dataKey)
    {
        var factory = new ApiFactory();
        factory.Settings["Storage:Provider"] = "postgres";
        factory.Settings["Storage:ConnectionString"] = Database.ConnectionString;
        factory.Settings["Templates:DataKeys:dk-fleet"] = dataKey;
        factory.Settings["Security:MaxConsecutiveFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Enrollment:MaxTemplatesPerSubject"] = "20";
        // The fleet tests share one gallery of many subjects: a loose FPIR target keeps identify calibrated at that size.
        factory.Settings["Identify:FpirTarget"] = "0.5";
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (factory, new Uri(address).Port);
    }

    public void Dispose()
    {
        opened.ForEach(d => d.Dispose());
        foreach (var (factory, _) in Instances)
        {
            factory.Dispose();
        }

        Database.Dispose();
    }
}
