extern alias service;

using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdVerify.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using ServiceProgram = service::Program;

namespace IdVerify.Cli.Tests;

/// <summary>
/// <c>idverify verify PROBE REFERENCE</c> and <c>/v1/verify</c> after enrolling REFERENCE decide alike on one
/// configuration file: the same models, the same score and the same decision. The file is not the default (FMR 1e-2,
/// a looser sharpness bound), so a CLI that ignored the configuration would print another threshold.
/// </summary>
public sealed partial class DecisionParityTests : IDisposable
{
    private const string Obama = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private readonly string root = Directory.CreateTempSubdirectory("idverify-parity-").FullName;

    [Theory]
    [InlineData("face_recognition/tests/test_images/obama3.jpg", Obama, true)]
    [InlineData("face_recognition/examples/knn_examples/train/biden/biden.jpg", Obama, false)]
    [InlineData("silent_face_anti_spoofing/image_F1.jpg", "silent_face_anti_spoofing/image_T1.jpg", false)]
    public async Task Verify_gives_the_same_score_and_decision_from_the_cli_as_from_the_service(string probe, string reference, bool verified)
    {
        var config = Path.Combine(root, "appsettings.bank.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Matching = new { FmrTarget = 0.01 },
            Quality = new { Verification = new { MinSharpness = 0.012 } },
            Models = new { ActiveFile = Path.Combine(root, "active.json") },
            Storage = new { SqlitePath = Path.Combine(root, "idverify.db") },
        }));

        var cli = await CliRunner.RunAsync("verify", TestData.Photo(probe), TestData.Photo(reference), "--config", config);
        var line = ScoreLine().Match(cli.Output);
        Assert.True(line.Success, cli.Output);

        await using var host = new ConfiguredService(config);
        var client = host.CreateClient();
        // A fresh database: the service made its bootstrap key, beside the file, as on a first start.
        client.DefaultRequestHeaders.Add("X-Api-Key", (await File.ReadAllTextAsync(Path.Combine(root, "initial-api-key"))).Trim());
        (await client.PostAsync("/v1/enroll", Form("parity", reference))).EnsureSuccessStatusCode();
        var response = await client.PostAsync("/v1/verify", Form("parity", probe));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.ToString());

        Assert.Equal(0.01, body.GetProperty("fmrTarget").GetDouble());
        Assert.Equal(body.GetProperty("threshold").GetDouble(), double.Parse(line.Groups["threshold"].Value, System.Globalization.CultureInfo.InvariantCulture), 4);
        Assert.Equal(body.GetProperty("score").GetDouble(), double.Parse(line.Groups["score"].Value, System.Globalization.CultureInfo.InvariantCulture), 4);
        Assert.Equal(verified, body.GetProperty("verified").GetBoolean());
        Assert.Equal(verified ? 0 : 1, cli.ExitCode);
        Assert.Contains(verified ? "decision: VERIFIED" : "decision: NOT VERIFIED", cli.Output, StringComparison.Ordinal);
        Assert.Equal(body.GetProperty("match").GetBoolean() ? "yes" : "no", line.Groups["match"].Value);
        Assert.Equal(body.GetProperty("liveness").GetProperty("passed").GetBoolean() ? "yes" : "no", line.Groups["live"].Value);
    }

    private static MultipartFormDataContent Form(string subject, string photo)
    {
        var image = new ByteArrayContent(TestData.Read(photo));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { new StringContent(subject), "subjectId" }, { image, "image", Path.GetFileName(photo) } };
    }

    [GeneratedRegex(@"score (?<score>-?\d\.\d{4})  threshold (?<threshold>\d\.\d{4}) \(FMR [^)]*\)  match (?<match>yes|no)  live (?<live>yes|no)")]
    private static partial Regex ScoreLine();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>The real service reading the same configuration file the CLI was given.</summary>
    private sealed class ConfiguredService(string config) : WebApplicationFactory<ServiceProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(c => c.AddJsonFile(config, optional: false));
    }
}
