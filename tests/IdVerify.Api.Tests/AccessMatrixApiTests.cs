using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdVerify.Core.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Tests;

/// <summary>One service with, per scope, a key holding only that scope, one holding every other scope, one revoked and one expired.</summary>
public sealed class AccessMatrixFixture : IAsyncLifetime
{
    public ApiFactory Factory { get; } = new();

    public Dictionary<string, string> Only { get; } = [];

    public Dictionary<string, string> AllBut { get; } = [];

    public Dictionary<string, string> Revoked { get; } = [];

    public Dictionary<string, string> Expired { get; } = [];

    public async Task InitializeAsync()
    {
        foreach (var scope in ApiKeyScopes.All)
        {
            var name = scope.Replace(':', '-');
            Only[scope] = await Factory.CreateKeyAsync($"only-{name}", [scope]);
            AllBut[scope] = await Factory.CreateKeyAsync($"all-but-{name}", ApiKeyScopes.All.Where(s => s != scope).ToList());
            Revoked[scope] = await Factory.CreateKeyAsync($"revoked-{name}", [scope]);
            Expired[scope] = await Factory.CreateKeyAsync($"expired-{name}", [scope], Factory.Time.GetUtcNow().AddMinutes(30));
            await Factory.Services.GetRequiredService<IdVerify.Core.Access.ApiKeyService>().RevokeAsync($"revoked-{name}");
        }

        // The service's clock passes the expiry of the expired-* keys (and of none of the others).
        Factory.Time.Advance(TimeSpan.FromHours(1));
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Who may call what: every route, with no key, a key it does not know, a key without the route's scope, the right key, a revoked and an expired one.</summary>
public sealed class AccessMatrixApiTests(AccessMatrixFixture fixture) : IClassFixture<AccessMatrixFixture>
{
    /// <summary>
    /// Every route of the service but health and OpenAPI, with its scope and what a caller with that scope gets for an empty
    /// request (the handler ran: an input problem or an answer, never an access problem). A route missing here fails
    /// <see cref="The_matrix_covers_every_route_and_every_route_requires_its_scope"/>.
    /// </summary>
    public static readonly (string Method, string Pattern, string Path, string Scope, int Served)[] Routes =
    [
        ("POST", "/v1/enroll", "/v1/enroll", ApiKeyScopes.Enroll, 400),
        ("POST", "/v1/verify", "/v1/verify", ApiKeyScopes.Verify, 400),
        ("POST", "/v1/quality", "/v1/quality", ApiKeyScopes.Verify, 400),
        ("POST", "/v1/identify", "/v1/identify", ApiKeyScopes.Identify, 400),
        ("POST", "/v1/liveness/challenges", "/v1/liveness/challenges", ApiKeyScopes.Verify, 201),
        ("GET", "/v1/subjects/{subjectId}", "/v1/subjects/matrix-nobody", ApiKeyScopes.Enroll, 404),
        ("DELETE", "/v1/subjects/{subjectId}", "/v1/subjects/matrix-nobody", ApiKeyScopes.SubjectsDelete, 404),
        ("POST", "/v1/subjects/{subjectId}/unlock", "/v1/subjects/matrix-nobody/unlock", ApiKeyScopes.Enroll, 404),
        ("GET", "/v1/audit", "/v1/audit", ApiKeyScopes.Audit, 200),
        ("GET", "/v1/models", "/v1/models", ApiKeyScopes.Admin, 200),
        ("GET", "/metrics", "/metrics", ApiKeyScopes.Admin, 200),
        ("PUT", "/v1/admin/models/{role}", "/v1/admin/models/embedder", ApiKeyScopes.Admin, 400),
        ("POST", "/v1/admin/models", "/v1/admin/models", ApiKeyScopes.Admin, 400),
        ("POST", "/v1/admin/keys", "/v1/admin/keys", ApiKeyScopes.Admin, 400),
        ("GET", "/v1/admin/keys", "/v1/admin/keys", ApiKeyScopes.Admin, 200),
        ("DELETE", "/v1/admin/keys/{name}", "/v1/admin/keys/matrix-nobody", ApiKeyScopes.Admin, 404),
    ];

    public static readonly string[] Cases = ["no key", "unknown key", "wrong scope", "right scope", "revoked", "expired"];

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var route in Routes)
        {
            foreach (var caller in Cases)
            {
                data.Add(route.Method, route.Path, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_route_serves_only_a_usable_key_with_its_scope(string method, string path, string caller)
    {
        var route = Routes.Single(r => r.Method == method && r.Path == path);
        var key = caller switch
        {
            "no key" => null,
            "unknown key" => "idv_" + new string('A', 43),
            "wrong scope" => fixture.AllBut[route.Scope],
            "right scope" => fixture.Only[route.Scope],
            "revoked" => fixture.Revoked[route.Scope],
            _ => fixture.Expired[route.Scope],
        };
        using var client = fixture.Factory.ClientWithKey(key);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        switch (caller)
        {
            case "no key":
                await response.AssertProblem(401, "api_key_missing");
                Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme);
                break;
            case "wrong scope":
                var problem = await response.AssertProblem(403, "scope_forbidden");
                Assert.Contains($"'{route.Scope}'", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
                break;
            case "right scope":
                var body = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode == route.Served, $"{method} {path}: expected {route.Served}, got {(int)response.StatusCode}: {body}");
                break;
            default:
                await response.AssertProblem(401, "api_key_invalid");
                break;
        }
    }

    [Fact]
    public void The_matrix_covers_every_route_and_every_route_requires_its_scope()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (
                Method: m,
                Pattern: "/" + e.RoutePattern.RawText!.Trim('/'),
                Anonymous: e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                Scopes: e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList())))
            .ToList();

        var open = endpoints.Where(e => e.Anonymous).Select(e => e.Pattern).Distinct().Order().ToList();
        // The test host runs in Development, where the Scalar API reference page (static, no data) is served too.
        Assert.Equal(["/health/live", "/health/ready", "/openapi/{documentName}.json"], open.Where(p => !p.StartsWith("/scalar/", StringComparison.Ordinal)));
        Assert.Contains(open, p => p.StartsWith("/scalar/", StringComparison.Ordinal));
        var scoped = endpoints.Where(e => !e.Anonymous).Select(e => $"{e.Method} {e.Pattern} {string.Join("+", e.Scopes)}").Order().ToList();
        var expected = Routes.Select(r => $"{r.Method} {r.Pattern} {r.Scope}").Order().ToList();
        // A new route needs a row in Routes (and so its own five access cases).
        Assert.Equal(expected, scoped);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_openapi_stay_open(string path)
    {
        using var client = fixture.Factory.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_key_may_come_as_an_authorization_header_and_names_the_caller()
    {
        using var client = fixture.Factory.ClientWithKey(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", fixture.Only[ApiKeyScopes.Admin]);

        var response = await client.GetAsync("/v1/admin/keys?probe=authorization-header");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(fixture.Factory.Seen, s => s.Path == "/v1/admin/keys" && s.User == "only-admin");
    }

    [Fact]
    public async Task OpenApi_documents_the_access_answers_of_scoped_routes()
    {
        using var client = fixture.Factory.ClientWithKey(null);
        var document = await (await client.GetAsync("/openapi/v1.json")).Json();

        var verify = document.GetProperty("paths").GetProperty("/v1/verify").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "401", "403", "429" })
        {
            Assert.True(verify.TryGetProperty(status, out _), status);
        }
    }

    [Fact]
    public async Task Scalar_reference_page_is_served_without_a_key_in_Development()
    {
        using var client = fixture.Factory.ClientWithKey(null);
        var response = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_gives_every_problem_response_examples_with_codes_of_its_status()
    {
        using var client = fixture.Factory.ClientWithKey(null);
        var document = await (await client.GetAsync("/openapi/v1.json")).Json();

        var problems = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (!response.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out var media))
                    {
                        continue;
                    }

                    problems++;
                    var where = $"{operation.Name} {path.Name} {response.Name}";
                    Assert.True(media.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any(), where);
                    foreach (var example in examples.EnumerateObject())
                    {
                        var value = example.Value.GetProperty("value");
                        Assert.Equal(example.Name, value.GetProperty("code").GetString());
                        Assert.Equal(int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture), value.GetProperty("status").GetInt32());
                    }
                }
            }
        }

        Assert.True(problems > 20, $"{problems} problem responses documented");
    }

    [Fact]
    public async Task OpenApi_gives_every_success_response_and_json_body_an_example_of_its_contract()
    {
        using var client = fixture.Factory.ClientWithKey(null);
        var document = await (await client.GetAsync("/openapi/v1.json")).Json();
        var json = fixture.Factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var descriptions = fixture.Factory.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .ToDictionary(d => $"{d.HttpMethod!.ToLowerInvariant()} /{d.RelativePath!.Split('?')[0].TrimEnd('/')}");

        var examples = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var where = $"{operation.Name} {path.Name}";
                var description = descriptions[where];
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                {
                    if (response.Name == "204")
                    {
                        Assert.False(response.Value.TryGetProperty("content", out _), $"{where} 204 has a body");
                        continue;
                    }

                    // A new route's success body needs its contract to implement IHasOpenApiExample.
                    var type = description.SupportedResponseTypes.Single(r => r.StatusCode.ToString(CultureInfo.InvariantCulture) == response.Name).Type;
                    Assert.NotNull(type);
                    AssertExampleOf(type, response.Value, $"{where} {response.Name}", json);
                    examples++;
                }

                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    var content = body.GetProperty("content");
                    if (content.TryGetProperty("application/json", out _))
                    {
                        var type = description.ParameterDescriptions.Single(p => p.Source == BindingSource.Body).Type;
                        AssertExampleOf(type, body, $"{where} request", json);
                        examples++;
                    }

                    if (content.TryGetProperty("multipart/form-data", out var form))
                    {
                        // Every form field is named and described (FormFields metadata), not a JSON contract's properties.
                        var fields = form.GetProperty("schema").GetProperty("properties").EnumerateObject().ToList();
                        Assert.True(fields.Count > 0, $"{where} form");
                        Assert.All(fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Value.GetProperty("description").GetString()), $"{where} {f.Name}"));
                    }
                }
            }
        }

        Assert.True(examples > 10, $"{examples} examples checked");
    }

    /// <summary>The JSON example is a value of the contract: it reads back into the type and writes out to the same JSON.</summary>
    private static void AssertExampleOf(Type type, JsonElement owner, string where, JsonSerializerOptions json)
    {
        var media = owner.GetProperty("content").GetProperty("application/json");
        Assert.True(media.TryGetProperty("example", out var example), $"{where} has no example");
        var value = example.Deserialize(type, json);
        Assert.NotNull(value);
        var roundTrip = JsonSerializer.SerializeToNode(value, type, json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example.GetRawText()), roundTrip), $"{where}: {example} is not a {type.Name}");
    }
}
