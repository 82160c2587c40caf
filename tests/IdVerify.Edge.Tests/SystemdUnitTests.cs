using IdVerify.Tests;

namespace IdVerify.Edge.Tests;

/// <summary>edge/install puts a real published build, verified models and the unit in place; systemd accepts the unit as installed.</summary>
public sealed class SystemdUnitTests
{
    [Fact]
    public async Task Installed_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var publish = await PublishedBuild.ApiAndCliAsync("linux-x64");
        var root = Directory.CreateTempSubdirectory("idverify-install-").FullName;
        try
        {
            var repo = TestData.RepositoryRoot;
            var install = await ProcessRunner.RunAsync("env",
                [$"IDVERIFY_PREFIX={root}", Path.Combine(repo, "edge", "install"), "--publish", publish,
                 "--config", Path.Combine(repo, "edge", "config", "kiosk.env"), "--model-source", TestData.Models.SourceDirectory!],
                repo, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, install.Output);
            Assert.True(File.Exists(Path.Combine(root, "opt", "idverify", "models", "embedder", "MobileFaceNet_paddlex_128d.onnx")),
                $"edge/install left the embedder out:\n{install.Output}");

            // verify resolves ExecStart, EnvironmentFile and the targets under --root, so the root gets the system's units.
            CopyDirectory("/usr/lib/systemd/system", Path.Combine(root, "usr", "lib", "systemd", "system"));
            var verify = await ProcessRunner.RunAsync("systemd-analyze",
                ["verify", $"--root={root}", Path.Combine(root, "etc", "systemd", "system", "idverify.service")],
                repo, TimeSpan.FromMinutes(1));
            Assert.True(verify.ExitCode == 0, verify.Output);
            Assert.Equal("", verify.Output.Trim());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(Path.Combine(to, info.Name), target);
            }
            else
            {
                info.CopyTo(Path.Combine(to, info.Name));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
