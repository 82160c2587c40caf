using System.Collections.Concurrent;
using System.Diagnostics;
using IdVerify.Core;
using IdVerify.Core.Verification;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>The concurrency loop both targets share: a fixed number of verifies, spread over a number of workers.</summary>
internal static class LoadRunner
{
    /// <summary>
    /// Sends <paramref name="requests"/> verifies through <paramref name="verify"/> from <paramref name="concurrency"/>
    /// workers, cycling through the photos; a refused verify counts as a failure by its code.
    /// </summary>
    public static async Task<LevelResult> RunLevelAsync(int concurrency, int requests, List<byte[]> photos,
        Func<byte[], Task<Dictionary<string, double>>> verify)
    {
        var samples = new ConcurrentBag<Dictionary<string, double>>();
        var failures = new ConcurrentDictionary<string, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"concurrency {concurrency}", maxValue: requests);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests)
                {
                    try
                    {
                        samples.Add(await verify(photos[i % photos.Count]));
                    }
                    catch (IdVerifyException ex)
                    {
                        failures.AddOrUpdate(ex.Code, 1, (_, n) => n + 1);
                    }

                    task.Increment(1);
                }
            })));
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var stages = samples.SelectMany(s => s.Keys).Distinct()
            .ToDictionary(k => k, k => Percentiles.Of(samples.Select(s => s[k])));
        return new LevelResult(concurrency, requests, failures.Values.Sum(), Math.Round(seconds, 2), Math.Round(samples.Count / seconds, 1), stages, failures);
    }

    /// <summary>Enrolls the first photo that makes a template as the subject every verify compares against.</summary>
    public static async Task<string> EnrollFirstAsync(List<byte[]> photos, Func<byte[], Task<EnrollmentResult>> enroll)
    {
        foreach (var photo in photos)
        {
            try
            {
                await enroll(photo);
                return "bench";
            }
            catch (IdVerifyException)
            {
                // Not every photo makes an enrollable template; the first that does is the subject.
            }
        }

        throw new IdVerifyException(ErrorCodes.NoFace, "No photo could be enrolled as the benchmark subject.");
    }
}
