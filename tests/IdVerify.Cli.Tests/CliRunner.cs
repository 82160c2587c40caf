using System.Diagnostics;

namespace IdVerify.Cli.Tests;

/// <summary>Runs the built <c>idverify</c> program as an operator would, capturing its output and exit code.</summary>
public static class CliRunner
{
    /// <param name="Output">standard output, then standard error.</param>
    public sealed record Result(int ExitCode, string Output, string StandardOutput = "");

    public static async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "idverify.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Wide enough that tables do not wrap the values the tests look for.
        start.Environment["COLUMNS"] = "240";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr, await stdout);
    }
}
