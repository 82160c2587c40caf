using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdVerify.Edge.Tests;

/// <summary>
/// A published IdVerify.Api started as its own process on a free loopback port, with its SQLite file in a fresh folder,
/// the checkout's models, and the key it writes on its first start. An arm64 build runs under qemu-user-static in a
/// private mount namespace whose /proc/cpuinfo reads as an aarch64 CPU's: under user-mode emulation the kernel shows
/// the x86 host's, and ONNX Runtime's CPU detection crashes (SIGSEGV) on it.
/// </summary>
public sealed class PublishedService : IAsyncDisposable
{
    // Two Neoverse-N1 cores (an AWS Graviton2 box's lines); ONNX Runtime reads the Features and CPU part fields.
    private const string Aarch64CpuInfo = """
        processor	: 0
        BogoMIPS	: 243.75
        Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU variant	: 0x3
        CPU part	: 0xd0c
        CPU revision	: 1

        processor	: 1
        BogoMIPS	: 243.75
        Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU variant	: 0x3
        CPU part	: 0xd0c
        CPU revision	: 1

        """;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _dataDirectory;

    private PublishedService(Process process, string dataDirectory, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }

    /// <summary>From the process start to the first Healthy /health/ready.</summary>
    public TimeSpan TimeToReady { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<PublishedService> StartAsync(string publishDirectory, bool emulateArm64, TimeSpan readyTimeout)
    {
        var data = Directory.CreateTempSubdirectory("idverify-edge-").FullName;
        var port = FreePort();
        var api = Path.Combine(publishDirectory, "IdVerify.Api");
        ProcessStartInfo info;
        if (emulateArm64)
        {
            var cpuinfo = Path.Combine(data, "cpuinfo");
            await File.WriteAllTextAsync(cpuinfo, Aarch64CpuInfo);
            // unshare execs sh, sh execs qemu: one process, so killing it ends the service.
            info = new ProcessStartInfo("unshare");
            foreach (var argument in new[] { "-m", "sh", "-c", "mount --bind \"$0\" /proc/cpuinfo && exec qemu-aarch64-static \"$1\"", cpuinfo, api })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info = new ProcessStartInfo(api);
        }

        info.WorkingDirectory = publishDirectory;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Storage__SqlitePath"] = Path.Combine(data, "idverify.db");
        info.Environment["Models__Directory"] = Path.Combine(IdVerify.Tests.TestData.RepositoryRoot, "models");
        info.Environment["Models__ActiveFile"] = Path.Combine(data, "active.json");
        info.Environment["Models__LocalManifest"] = Path.Combine(data, "local-manifest.json");

        var started = Stopwatch.StartNew();
        var service = new PublishedService(Process.Start(info)!, data, port);
        try
        {
            await service.WaitReadyAsync(readyTimeout);
            service.TimeToReady = started.Elapsed;
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "initial-api-key"))).Trim();
            service.Client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode} before it was ready:\n{Log}");
            }

            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the service was not ready within {timeout}:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            // SIGKILL: the emulated runtime does not act on SIGTERM promptly, and nothing here needs a graceful stop.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
