using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Models;

/// <summary>How ONNX Runtime sessions are created; one set for every model in the bundle.</summary>
public sealed record InferenceOptions
{
    public static readonly IReadOnlyList<string> Providers = ["cpu", "cuda", "tensorrt", "openvino", "coreml", "directml", "auto"];

    /// <summary><c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>, <c>openvino</c>, <c>coreml</c>, <c>directml</c>, or <c>auto</c> (the first accelerator that loads, else CPU).</summary>
    public string Provider { get; init; } = "cpu";

    /// <summary>Run on CPU, with a warning, when the requested provider cannot be loaded; otherwise refuse to start.</summary>
    public bool AllowFallback { get; init; }

    /// <summary>
    /// Threads one inference may use; 0 lets ONNX Runtime choose (all cores). 1: on this 2-core machine a second thread
    /// bought nothing for the embedder (8.9 against 8.8 ms) and little for the others, while it halves what concurrent
    /// requests can run side by side; the service's parallelism is across requests.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// Threads the detect stage's models (the detector, and the landmark model when landmarks are refined) may use for
    /// a request alone on the machine (0: every core; at most <see cref="IntraOpThreads"/>: no second sessions).
    /// Detection and refinement come before the embedder and liveness, which then run side by side, so alone a
    /// one-thread session leaves the other cores idle; under load the one-thread sessions serve, as for every other
    /// model. Both give the same outputs. RetinaFace on 640×480 frames, one process, interleaved, this 2-core machine
    /// shared: 39.7 → 26.7 ms p50 with 2 threads; PFLD-68 then liveness instead of the two side by side: verify p50
    /// 0.4–0.6 ms shorter.
    /// </summary>
    public int SoloDetectorThreads { get; init; }

    /// <summary>
    /// CPU sessions allocate from one arena registered with the ONNX Runtime environment instead of one arena each, so
    /// the process holds the peak of what runs at once rather than the sum of every session's own peak.
    /// </summary>
    public bool SharedArena { get; init; } = true;

    // Registered once per process: ONNX Runtime refuses a second CPU allocator for the environment.
    private static readonly Lazy<bool> EnvironmentArena = new(() =>
    {
        using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
        using var arena = new OrtArenaCfg(0, -1, -1, -1);
        OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
        return true;
    });

    /// <summary><c>all</c>, <c>extended</c>, <c>basic</c> or <c>disabled</c>.</summary>
    public string GraphOptimization { get; init; } = "all";

    /// <summary>The solo detector's threads, or null when it would get no more than every other session.</summary>
    public int? SoloDetectorThreadCount()
    {
        var threads = SoloDetectorThreads > 0 ? SoloDetectorThreads : Environment.ProcessorCount;
        return IntraOpThreads > 0 && threads > IntraOpThreads ? threads : null;
    }

    /// <summary>Creates session options with the provider appended; throws when it cannot load and fallback is off.</summary>
    /// <param name="intraOpThreads">threads for these sessions instead of <see cref="IntraOpThreads"/>.</param>
    public (SessionOptions Options, ExecutionProviderChoice Provider) CreateSessionOptions(int? intraOpThreads = null)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimization switch
            {
                "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if ((intraOpThreads ?? IntraOpThreads) is > 0 and var threads)
        {
            options.IntraOpNumThreads = threads;
        }

        // Spinning threads burn the cores that concurrent requests and ASP.NET need. For a request alone they cut
        // median model times by a third or more on the 2-vCPU build machine, but doubled the concurrency-1 p95 (README,
        // Benchmarking).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");

        // Real faces drive some activations into denormal floats, which x86 handles in microcode.
        options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");

        if (SharedArena && EnvironmentArena.Value)
        {
            options.AddSessionConfigEntry("session.use_env_allocators", "1");
        }

        var requested = Provider.ToLowerInvariant();
        if (requested == "cpu")
        {
            return (options, new ExecutionProviderChoice("cpu", "cpu", null));
        }

        var candidates = requested == "auto" ? ["tensorrt", "cuda", "openvino", "coreml", "directml"] : new[] { requested };
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                Append(options, candidate);
                return (options, new ExecutionProviderChoice(requested, candidate, null));
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or NotSupportedException)
            {
                failures.Add($"{candidate}: {ex.Message.Trim()}");
            }
        }

        var reason = string.Join("; ", failures) + $" (providers in this build: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())})";
        if (requested != "auto" && !AllowFallback)
        {
            options.Dispose();
            throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Execution provider '{requested}' cannot be loaded: {reason}. Install the GPU build (see README) or set Inference:AllowFallback=true.");
        }

        return (options, new ExecutionProviderChoice(requested, "cpu", reason));
    }

    private static void Append(SessionOptions options, string provider)
    {
        switch (provider)
        {
            case "cuda":
                options.AppendExecutionProvider_CUDA(0);
                break;
            case "tensorrt":
                options.AppendExecutionProvider_Tensorrt(0);
                break;
            case "openvino":
                options.AppendExecutionProvider_OpenVINO();
                break;
            case "coreml":
                options.AppendExecutionProvider_CoreML();
                break;
            case "directml":
                options.AppendExecutionProvider_DML(0);
                break;
            default:
                throw new NotSupportedException($"unknown provider '{provider}'");
        }
    }
}
