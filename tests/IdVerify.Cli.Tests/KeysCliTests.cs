extern alias service;

using System.Net;
using System.Security.Cryptography;
using System.Text;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ServiceProgram = service::Program;

namespace IdVerify.Cli.Tests;

/// <summary><c>idverify keys create / list / revoke</c> on the service's database, and what the running service then makes of the key.</summary>
public sealed class KeysCliTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-keys-").FullName;

    private string Database
    {
        get
        {
            var path = Path.Combine(root, "idverify.db");
            _ = new SqliteDatabase(path);
            return path;
        }
    }

    [Fact]
    public async Task A_key_created_with_the_cli_is_served_until_the_cli_revokes_it()
    {
        var database = Database;

        var created = await CliRunner.RunAsync("keys", "create", "--db", database, "--name", "kiosk-042", "--scopes", "verify,enroll", "--expires", "90d");

        Assert.True(created.ExitCode == 0, created.Output);
        var key = created.StandardOutput.TrimEnd().Split('\n')[^1].Trim();
        Assert.Matches("^idv_[A-Za-z0-9_-]{43}$", key);
        var list = await CliRunner.RunAsync("keys", "list", "--db", database);
        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Matches(@"kiosk-042\s*│\s*verify,enroll\s*│\s*active", list.Output);
        Assert.Contains(DateTimeOffset.UtcNow.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), list.Output, StringComparison.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Assert.DoesNotContain(key, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..16], list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(hash), list.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(hash)[..16], list.Output, StringComparison.Ordinal);

        await using var service = new Service(database);
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var before = await client.PostAsync("/v1/liveness/challenges", null);
        var revoked = await CliRunner.RunAsync("keys", "revoke", "kiosk-042", "--db", database);
        var after = await client.PostAsync("/v1/liveness/challenges", null);
        var listed = await CliRunner.RunAsync("keys", "list", "--db", database);

        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        Assert.True(revoked.ExitCode == 0, revoked.Output);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("\"code\":\"api_key_invalid\"", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Matches(@"kiosk-042\s*│\s*verify,enroll\s*│\s*revoked", listed.Output);
        // The service found keys in the file, so it made no bootstrap key.
        Assert.False(File.Exists(Path.Combine(root, "initial-api-key")));
    }

    [Theory]
    [InlineData("unknown scope", "'everything'", "create", "--name", "kiosk-1", "--scopes", "verify,everything")]
    [InlineData("bad name", "must be 1 to 64", "create", "--name", "kiosk 1", "--scopes", "verify")]
    [InlineData("bad expiry", "must be a lifetime", "create", "--name", "kiosk-1", "--scopes", "verify", "--expires", "soon")]
    [InlineData("past expiry", "not in the future", "create", "--name", "kiosk-1", "--scopes", "verify", "--expires", "2001-01-01")]
    [InlineData("no scopes", "--scopes is required", "create", "--name", "kiosk-1")]
    [InlineData("no name", "--name is required", "create", "--scopes", "verify")]
    [InlineData("unknown key", "key_not_found", "revoke", "kiosk-404")]
    public async Task Bad_key_input_gets_one_line_and_exit_2(string why, string message, params string[] args)
    {
        var result = await CliRunner.RunAsync(["keys", .. args, "--db", Database]);

        Assert.True(result.ExitCode == 2, $"{why}: {result.Output}");
        Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_name_is_never_reused_even_after_revocation()
    {
        var database = Database;
        Assert.Equal(0, (await CliRunner.RunAsync("keys", "create", "--db", database, "--name", "desk-1", "--scopes", "enroll")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("keys", "revoke", "desk-1", "--db", database)).ExitCode);

        var again = await CliRunner.RunAsync("keys", "create", "--db", database, "--name", "desk-1", "--scopes", "enroll");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("key_exists", again.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>The real service on that database; it trusts a looked-up key for no time, so a revocation shows at once.</summary>
    private sealed class Service(string database) : WebApplicationFactory<ServiceProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:SqlitePath", database);
            builder.UseSetting("Models:ActiveFile", Path.Combine(Path.GetDirectoryName(database)!, "active.json"));
            builder.UseSetting("Auth:KeyCacheTtl", "00:00:00");
        }
    }
}
