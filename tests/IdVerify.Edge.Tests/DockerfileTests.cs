using System.Text.Json;
using System.Text.RegularExpressions;
using IdVerify.Tests;

namespace IdVerify.Edge.Tests;

/// <summary>
/// There is no Docker engine in CI, so the Dockerfile is kept honest here: it parses, every file it copies exists, it
/// builds for both RIDs through edge/publish (which the smoke tests run), it pulls the manifest's default bundle through
/// edge/pull-models (which edge/install runs), it ends as a non-root user, and its health check works against the
/// published service.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Root = TestData.RepositoryRoot;

    private static readonly IReadOnlyList<(string Instruction, string Arguments)> Instructions = Parse(File.ReadAllText(Path.Combine(Root, "Dockerfile")));

    [Fact]
    public void Every_path_the_Dockerfile_copies_from_the_context_exists()
    {
        var copies = Instructions.Where(i => i.Instruction is "COPY" or "ADD" && !i.Arguments.StartsWith("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var (_, arguments) in copies)
        {
            var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
            foreach (var source in parts[..^1])
            {
                Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY {source}: not in the repository");
            }
        }
    }

    [Fact]
    public void Dockerfile_cross_publishes_the_target_RID_with_edge_publish_and_runs_as_a_non_root_user()
    {
        Assert.Contains(Instructions, i => i.Instruction == "FROM" && i.Arguments.StartsWith("--platform=$BUILDPLATFORM ", StringComparison.Ordinal));
        Assert.Contains(("ARG", "TARGETARCH"), Instructions);
        var publish = Assert.Single(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("edge/publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains("amd64) rid=linux-x64", publish, StringComparison.Ordinal);
        Assert.Contains("arm64) rid=linux-arm64", publish, StringComparison.Ordinal);

        var runtime = Instructions.Skip(Instructions.ToList().FindLastIndex(i => i.Instruction == "FROM")).ToList();
        var user = runtime.Last(i => i.Instruction == "USER").Arguments;
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.True(runtime.FindIndex(i => i.Instruction == "USER") < runtime.FindIndex(i => i.Instruction == "ENTRYPOINT"));
    }

    [Fact]
    public void Dockerfile_and_edge_install_pull_the_manifests_default_bundle()
    {
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("edge/pull-models /out/models /model-source", StringComparison.Ordinal));
        var script = File.ReadAllText(Path.Combine(Root, "edge", "pull-models"));
        var bundle = BundleLine().Match(script).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "models", "manifest.json")));
        var defaults = manifest.RootElement.GetProperty("defaults");
        string[] expected = [defaults.GetProperty("detector").GetString()!, defaults.GetProperty("embedder").GetString()!,
            .. defaults.GetProperty("liveness").EnumerateArray().Select(e => e.GetString()!), defaults.GetProperty("landmarks").GetString()!];
        Assert.Equal(expected.Order(), bundle.Order());
    }

    [Fact]
    public async Task Healthcheck_command_passes_on_the_ready_published_service_and_fails_once_it_is_gone()
    {
        var healthcheck = Assert.Single(Instructions, i => i.Instruction == "HEALTHCHECK").Arguments;
        var command = JsonSerializer.Deserialize<string[]>(healthcheck[healthcheck.IndexOf("CMD [", StringComparison.Ordinal)..][4..])!;
        Assert.Contains("/health/ready", command[^1], StringComparison.Ordinal);

        var service = await PublishedService.StartAsync(await PublishedBuild.ApiAsync("linux-x64"), emulateArm64: false, TimeSpan.FromMinutes(2));
        var port = service.Client.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var onPort = command.Select(a => a.Replace("/127.0.0.1/8080", $"/127.0.0.1/{port}", StringComparison.Ordinal)).ToArray();
        var ready = await ProcessRunner.RunAsync(onPort[0], onPort[1..], Root, TimeSpan.FromSeconds(30));
        await service.DisposeAsync();
        var gone = await ProcessRunner.RunAsync(onPort[0], onPort[1..], Root, TimeSpan.FromSeconds(30));

        Assert.True(ready.ExitCode == 0, ready.Output);
        Assert.NotEqual(0, gone.ExitCode);
    }

    /// <summary>Instructions with continuation lines joined and comments dropped (the parser directive line included).</summary>
    private static List<(string, string)> Parse(string dockerfile)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                var text = Regex.Replace(current.Trim(), @"\s+", " ");
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                Assert.True(space > 0, $"not an instruction: {text}");
                instructions.Add((text[..space].ToUpperInvariant(), text[(space + 1)..]));
                current = "";
            }
        }

        Assert.Equal("", current);
        return instructions;
    }

    [GeneratedRegex(@"(?m)^bundle=\(([^)]*)\)")]
    private static partial Regex BundleLine();
}
