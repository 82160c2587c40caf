using System.Collections.Concurrent;
using System.Diagnostics;
using IdVerify.Core;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>The concurrency loop both targets share: a fixed number of verifies, spread over a number of workers.</summary>
internal static class LoadRunner
{
    /// <summary>
    /// Sends <paramref name="requests"/> verifies through <paramref name="verify"/> from <paramref name="concurrency"/>
    /// workers, cycling through the photos; a refused verify counts as a failure by its code.
    /// </summary>
    public static async Task<LevelResult> RunLevelAsync<T>(int concurrency, int requests, IReadOnlyList<T> photos,
        Func<T, Task<Dictionary<string, double>>> verify)
    {
        var samples = new ConcurrentBag<Dictionary<string, double>>();
        var failures = new ConcurrentDictionary<string, int>();
        var next = -1;
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
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
        self.Refresh();
        var cpuMs = (self.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, samples.Count);
        var stages = samples.SelectMany(s => s.Keys).Distinct()
            .ToDictionary(k => k, k => Percentiles.Of(samples.Select(s => s[k])));
        return new LevelResult(concurrency, requests, failures.Values.Sum(), Math.Round(seconds, 2), Math.Round(samples.Count / seconds, 1), stages, failures,
            Math.Round(cpuMs, 1));
    }

    /// <summary>
    /// Enrolls every photo that makes a template as a subject of its own, so each verify is a genuine one and the
    /// service's attempt limit (which locks a subject after failed verifies) never turns the bench into refusals.
    /// </summary>
    public static async Task<List<BenchSubject>> EnrollEachAsync(IEnumerable<byte[]> photos, Func<string, byte[], Task> enroll)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var subjects = new List<BenchSubject>();
        foreach (var photo in photos)
        {
            var subject = $"bench-{run}-{subjects.Count}";
            try
            {
                await enroll(subject, photo);
                subjects.Add(new BenchSubject(subject, photo));
            }
            catch (IdVerifyException ex) when (ex.Code is ErrorCodes.NoFace or ErrorCodes.MultipleFaces or ErrorCodes.FaceTooSmall
                                                   or ErrorCodes.LivenessFailed or ErrorCodes.QualityTooLow or ErrorCodes.ImageUnreadable)
            {
                // Not every photo makes an enrollable template (enrollment's quality bounds are stricter); anything
                // else (a rate limit, a missing scope) is the bench's problem and stops it.
            }
        }

        return subjects.Count > 0
            ? subjects
            : throw new IdVerifyException(ErrorCodes.NoFace, "No photo could be enrolled as a benchmark subject.");
    }
}
