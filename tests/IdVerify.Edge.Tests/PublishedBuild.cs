using System.Collections.Concurrent;

namespace IdVerify.Edge.Tests;

/// <summary>
/// What edge/publish produces for one runtime identifier, published once per test run into a folder of its own under
/// artifacts/ (a developer's own edge/publish output is left alone). One publish at a time: they share obj/ folders.
/// </summary>
public static class PublishedBuild
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Builds = new();
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static string OutputRoot => Path.Combine(IdVerify.Tests.TestData.RepositoryRoot, "artifacts", "edge-tests", "publish");

    /// <summary>The folder holding the published IdVerify.Api for the RID.</summary>
    public static async Task<string> ApiAsync(string rid) => Path.Combine(await PublishAsync(rid, "api"), "api");

    /// <summary>The RID's folder with api/ and cli/, as edge/install takes it.</summary>
    public static Task<string> ApiAndCliAsync(string rid) => PublishAsync(rid, "cli");

    private static Task<string> PublishAsync(string rid, string app) =>
        Builds.GetOrAdd($"{rid}/{app}", _ => new(() => RunPublishAsync(rid, app))).Value;

    private static async Task<string> RunPublishAsync(string rid, string app)
    {
        var root = IdVerify.Tests.TestData.RepositoryRoot;
        if (app == "cli")
        {
            // edge/install wants both; the API is published first (or was already).
            await ApiAsync(rid);
        }

        await OneAtATime.WaitAsync();
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync("env",
                [$"IDVERIFY_PUBLISH_OUT={OutputRoot}", $"IDVERIFY_PUBLISH_APPS={app}", Path.Combine(root, "edge", "publish"), rid],
                root, TimeSpan.FromMinutes(10));
            Assert.True(exitCode == 0, $"edge/publish {rid} ({app}) failed:\n{output}");
        }
        finally
        {
            OneAtATime.Release();
        }

        var executable = Path.Combine(OutputRoot, rid, app, app == "api" ? "IdVerify.Api" : "idverify");
        Assert.True(File.Exists(executable), $"edge/publish {rid} left no {executable}");
        return Path.Combine(OutputRoot, rid);
    }
}
