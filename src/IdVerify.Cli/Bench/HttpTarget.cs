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

        var subject = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await LoadRunner.EnrollFirstAsync(photos, async p =>
        {
            using var response = await client.PostAsync("/v1/enroll?replace=true", Form(subject, p), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
                throw new IdVerifyException(problem.GetProperty("code").GetString()!, problem.GetProperty("detail").GetString()!);
            }

            return null!;
        });

        async Task<Dictionary<string, double>> Verify(byte[] photo)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync("/v1/verify", Form(subject, photo), cancellationToken);
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

        // The warm-up pass also drops photos the service refuses (no usable face): the bench measures verifies.
        var usable = new List<byte[]>();
        foreach (var photo in photos)
        {
            try
            {
                await Verify(photo);
                usable.Add(photo);
            }
            catch (IdVerifyException)
            {
            }
        }

        photos = usable;
        AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos hold one usable face.");
        for (var i = 0; i < settings.WarmUp; i++)
        {
            await Verify(photos[i % photos.Count]);
        }

        var results = new List<LevelResult>();
        foreach (var level in levels)
        {
            results.Add(await LoadRunner.RunLevelAsync(level, settings.Requests, photos, Verify));
        }

        return new BenchReport("http", MachineInfo.Current(), url.ToString(), "(server)", 0, photos.Count, settings.Frame, 0, 0, 0, 0, 0, results, null, null);
    }
}
