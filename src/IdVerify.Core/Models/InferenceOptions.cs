using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Models;

/// <summary>How ONNX Runtime sessions are created; one set for every model in the bundle.</summary>
public sealed record InferenceOptions
{
    /// <summary>Threads one inference may use; 0 lets ONNX Runtime choose (all cores).</summary>
    public int IntraOpThreads { get; init; }

    public SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = IntraOpThreads;
        }

        // Spinning threads burn the cores that concurrent requests and ASP.NET need.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
