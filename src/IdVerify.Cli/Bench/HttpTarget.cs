using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using IdVerify.Cli.Commands;
using IdVerify.Core;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>What an HTTP bench measures: a running service's /v1/enroll and /v1/verify, its own stage timings plus the round trip.</summary>
internal static class HttpTarget
{
    public static async Task<BenchReport> RunAsync(BenchCommand.Settings settings, Uri url, List<byte[]> photos, int[] levels, CancellationToken cancellationToken)
    {
        try
        {
            return await MeasureAsync(settings, url, photos, levels, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"No service answers at {url}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{url} does not answer as an IdVerify service would: {ex.Message}", ex);
        }
    }

    private static async Task<BenchReport> MeasureAsync(BenchCommand.Settings settings, Uri url, List<byte[]> photos, int[] levels, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        if ((settings.ApiKey ?? Environment.GetEnvironmentVariable("IDVERIFY_API_KEY")) is { Length: > 0 } key)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        MultipartFormDataContent Form(string subject, byte[] photo)
        {
            var image = new ByteArrayContent(photo);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            return new MultipartFormDataContent { { new StringContent(subject), "subjectId" }, { image, "image", "frame.jpg" } };
        }

        async Task Enroll(string subject, byte[] photo)
        {
            using var response = await client.PostAsync("/v1/enroll", Form(subject, photo), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
                throw new IdVerifyException(problem.GetProperty("code").GetString()!, problem.GetProperty("detail").GetString()!);
            }
        }

        async Task<Dictionary<string, double>> Verify(BenchSubject subject)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync("/v1/verify", Form(subject.SubjectId, subject.Photo), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var roundTrip = clock.Elapsed.TotalMilliseconds;
            var json = JsonDocument.Parse(body).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new IdVerifyException(json.GetProperty("code").GetString()!, json.GetProperty("detail").GetString()!);
            }

            var stages = BenchStages.Names.ToDictionary(s => s, s => json.GetProperty("timingsMs").GetProperty(s).GetDouble());
            stages["round trip"] = roundTrip;
            return stages;
        }

        // Photos the service refuses to enroll (no usable face, quality) are dropped: the bench measures genuine verifies.
        var subjects = await LoadRunner.EnrollEachAsync(photos, Enroll);
        AnsiConsole.MarkupLineInterpolated($"{subjects.Count} photos enrolled, one subject each; every verify is a genuine one.");
        for (var i = 0; i < settings.WarmUp; i++)
        {
            await Verify(subjects[i % subjects.Count]);
        }

        var results = new List<LevelResult>();
        foreach (var level in levels)
        {
            results.Add(await LoadRunner.RunLevelAsync(level, settings.Requests, subjects, Verify));
        }

        return new BenchReport("http", MachineInfo.Current(), url.ToString(), "(server)", "(server)", 0, null, subjects.Count, settings.Frame, 0, 0, 0, 0, 0, results, null, null);
    }
}
