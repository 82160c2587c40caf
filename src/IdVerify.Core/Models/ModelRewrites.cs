using Google.Protobuf;
using Onnx;

namespace IdVerify.Core.Models;

/// <summary>
/// Offline graph rewrites that give a derived model file; each is deterministic (same original, same bytes). A manifest
/// names one rewrite, or several joined by <c>+</c>, applied left to right.
/// </summary>
public static class ModelRewrites
{
    /// <summary>ONNX Runtime's blocked (NCHWc) layout holds channels in blocks of 16 with AVX-512 (8 with AVX2).</summary>
    private const int ChannelBlock = 16;

    /// <summary>
    /// PRelu(x, s) = s·x + (1 − s)·Relu(x), exact for any slope. ONNX Runtime runs PRelu with a per-channel slope as a
    /// generic broadcast and converts the blocked (NCHWc) layout around each one; Relu, Mul and Add it fuses into the
    /// convolutions. ONNX Runtime 1.31 profile: PRelu 52% and layout conversions 11% of the PaddleX embedder before,
    /// none after; 27.9 → 14.7 ms embedder, 6.8 → 3.2 ms MiniFASNetV2 (p50, interleaved, one thread).
    /// </summary>
    public const string PreluAsReluMix = "prelu-as-relu-mix";

    /// <summary>
    /// RetinaFace (biubug6's export) with its input height and width left free, so a photo runs at its own aspect and a
    /// smaller size instead of letterboxed into the 640×640 square: the export traced the FPN's two upsampling targets
    /// as constants (40×40, 80×80), which become the shape of the feature map each is added to.
    /// </summary>
    public const string DynamicInput = "dynamic-input";

    /// <summary>
    /// Convolutions whose channel count is not a multiple of 16 (the MiniFASNets are pruned to 13, 26, 52, 77, 103, 154
    /// and 231 channels) get zero channels up to the next multiple. ONNX Runtime takes a convolution into its blocked
    /// layout only when its input channels fill whole blocks, so each depthwise and projection convolution after such a
    /// layer ran as a generic convolution between two layout conversions. A padded channel has zero weights and bias, so
    /// it stays zero through the PRelu and the depthwise convolution after it, and the projection that reads it gives it
    /// zero weights: the arithmetic is the original's. ONNX Runtime 1.31 profile of MiniFASNetV2 (one thread, after
    /// <see cref="PreluAsReluMix"/>): 4.0 → 2.8 ms, the layout conversions and the PRelu's Mul and Add (17% of it) fused or gone.
    /// </summary>
    public const string PadChannels = "pad-channels";

    public static byte[] Apply(string rewrite, byte[] original) =>
        rewrite.Split('+').Aggregate(original, (model, step) => step switch
        {
            PreluAsReluMix => RewritePrelu(model),
            DynamicInput => RewriteDynamicInput(model),
            PadChannels => RewritePadChannels(model),
            _ => throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Unknown model rewrite '{step}'."),
        });

    private static byte[] RewritePrelu(byte[] original)
    {
        var model = ModelProto.Parser.ParseFrom(original);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var nodes = new List<NodeProto>(graph.Node.Count);
        var index = 0;
        foreach (var node in graph.Node)
        {
            if (node.OpType != "PRelu" || !initializers.TryGetValue(node.Input[1], out var slopeTensor))
            {
                nodes.Add(node);
                continue;
            }

            var slope = FloatsOf(slopeTensor);
            var prefix = $"prelu_mix_{index++}";
            graph.Initializer.Add(FloatTensor($"{prefix}_s", slope, slopeTensor.Dims));
            graph.Initializer.Add(FloatTensor($"{prefix}_1ms", [.. slope.Select(s => 1 - s)], slopeTensor.Dims));
            var (x, y) = (node.Input[0], node.Output[0]);
            nodes.Add(Node("Relu", $"{prefix}_relu", [x], $"{prefix}_relu_out"));
            nodes.Add(Node("Mul", $"{prefix}_linear", [x, $"{prefix}_s"], $"{prefix}_linear_out"));
            nodes.Add(Node("Mul", $"{prefix}_positive", [$"{prefix}_relu_out", $"{prefix}_1ms"], $"{prefix}_positive_out"));
            nodes.Add(Node("Add", $"{prefix}_sum", [$"{prefix}_linear_out", $"{prefix}_positive_out"], y));
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var kept = graph.Initializer.Where(i => used.Contains(i.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        return model.ToByteArray();
    }

    private static byte[] RewriteDynamicInput(byte[] original)
    {
        var model = ModelProto.Parser.ParseFrom(original);
        var graph = model.Graph;
        foreach (var value in graph.Input.Concat(graph.Output))
        {
            var dims = value.Type.TensorType.Shape.Dim;
            if (graph.Input.Contains(value))
            {
                (dims[2], dims[3]) = (new TensorShapeProto.Types.Dimension { DimParam = "height" }, new TensorShapeProto.Types.Dimension { DimParam = "width" });
            }
            else
            {
                dims[1] = new TensorShapeProto.Types.Dimension { DimParam = "priors" };
            }
        }

        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var rewritten = 0;
        foreach (var resize in graph.Node.Where(n => n.OpType == "Resize").ToList())
        {
            // sizes = Concat(Slice(Shape(x), 0, 2), Constant [h, w]); the upsampled map is then added to the finer level.
            var concat = producers[resize.Input[3]];
            var constant = producers[concat.Input[1]];
            var add = graph.Node.Single(n => n.OpType == "Add" && n.Input.Contains(resize.Output[0]));
            var finer = add.Input.Single(i => i != resize.Output[0]);
            var shape = new NodeProto { OpType = "Shape", Name = $"{constant.Name}_dynamic" };
            shape.Input.Add(finer);
            shape.Output.Add(constant.Output[0]);
            shape.Attribute.Add(new AttributeProto { Name = "start", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
            shape.Attribute.Add(new AttributeProto { Name = "end", Type = AttributeProto.Types.AttributeType.Int, I = 4 });
            graph.Node[graph.Node.IndexOf(constant)] = shape;
            rewritten++;
        }

        // A Shape must come after the node that makes its input: move each to just before the Concat that reads it.
        foreach (var shape in graph.Node.Where(n => n.Name.EndsWith("_dynamic", StringComparison.Ordinal)).ToList())
        {
            graph.Node.Remove(shape);
            graph.Node.Insert(graph.Node.IndexOf(graph.Node.First(n => n.Input.Contains(shape.Output[0]))), shape);
        }

        if (rewritten != 2)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Rewrite '{DynamicInput}' expects RetinaFace's two FPN upsamplings, found {rewritten}.");
        }

        return model.ToByteArray();
    }

    private static byte[] RewritePadChannels(byte[] original)
    {
        var model = ModelProto.Parser.ParseFrom(original);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var uses = graph.Node.SelectMany(n => n.Input).CountBy(i => i, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input.Distinct().Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        // A weight to pad must belong to its node alone, or padding it would change another node.
        TensorProto? Owned(NodeProto node, int input) =>
            node.Input.Count > input && initializers.TryGetValue(node.Input[input], out var tensor) && uses[node.Input[input]] == 1 ? tensor : null;

        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv" && Group(n) == 1).ToList())
        {
            if (Owned(conv, 1) is not { } weight || weight.Dims[0] % ChannelBlock == 0)
            {
                continue;
            }

            var channels = (int)weight.Dims[0];
            if (PlanPadding(conv, channels, Owned, consumers, graphOutputs) is not { } plan)
            {
                continue;
            }

            var padded = (channels + ChannelBlock - 1) / ChannelBlock * ChannelBlock;
            foreach (var (tensor, axis) in plan.Tensors)
            {
                PadAxis(tensor, axis, padded);
            }

            foreach (var depthwise in plan.Depthwise)
            {
                depthwise.Attribute.Single(a => a.Name == "group").I = padded;
            }

            foreach (var stale in graph.ValueInfo.Where(v => plan.Values.Contains(v.Name)).ToList())
            {
                graph.ValueInfo.Remove(stale);
            }
        }

        return model.ToByteArray();
    }

    private sealed record ChannelPadding(List<(TensorProto Tensor, int Axis)> Tensors, List<NodeProto> Depthwise, HashSet<string> Values);

    /// <summary>
    /// What padding <paramref name="conv"/>'s output channels touches: through PRelus and depthwise convolutions to the
    /// convolutions that read them; null when the channels reach anything else (an Add, a graph output).
    /// </summary>
    private static ChannelPadding? PlanPadding(NodeProto conv, int channels, Func<NodeProto, int, TensorProto?> owned,
        ILookup<string, NodeProto> consumers, HashSet<string> graphOutputs)
    {
        var plan = new ChannelPadding([], [], new HashSet<string>(StringComparer.Ordinal));
        bool Pad(NodeProto node, int input, int axis, bool optional = false)
        {
            if (owned(node, input) is { } tensor)
            {
                plan.Tensors.Add((tensor, axis));
                return true;
            }

            return optional && node.Input.Count <= input;
        }

        if (!Pad(conv, 1, 0) || !Pad(conv, 2, 0, optional: true))
        {
            return null;
        }

        var pending = new Queue<string>([conv.Output[0]]);
        while (pending.TryDequeue(out var value))
        {
            if (graphOutputs.Contains(value) || !plan.Values.Add(value))
            {
                return null;
            }

            foreach (var node in consumers[value])
            {
                var dims = owned(node, 1)?.Dims;
                var carried = node.Input[0] == value && dims is not null && node.OpType switch
                {
                    "PRelu" => dims is [var c, 1, 1] && c == channels && Pad(node, 1, 0),
                    "Conv" when Group(node) == channels => dims[0] == channels && dims[1] == 1 && Pad(node, 1, 0) && Pad(node, 2, 0, optional: true),
                    _ => false,
                };
                if (carried)
                {
                    if (node.OpType == "Conv")
                    {
                        plan.Depthwise.Add(node);
                    }

                    pending.Enqueue(node.Output[0]);
                }
                else if (!(node.OpType == "Conv" && node.Input[0] == value && Group(node) == 1 && dims is { Count: 4 } && dims[1] == channels && Pad(node, 1, 1)))
                {
                    return null;
                }
            }
        }

        return plan;
    }

    private static long Group(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1;

    /// <summary>Grows <paramref name="tensor"/> along <paramref name="axis"/> to <paramref name="size"/> with zeros.</summary>
    private static void PadAxis(TensorProto tensor, int axis, int size)
    {
        var values = FloatsOf(tensor);
        var dims = tensor.Dims.ToArray();
        var inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var outer = dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        var result = new float[outer * size * inner];
        for (var o = 0L; o < outer; o++)
        {
            Array.Copy(values, o * dims[axis] * inner, result, o * size * inner, dims[axis] * inner);
        }

        dims[axis] = size;
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims);
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()));
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static float[] FloatsOf(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Tensor '{tensor.Name}' (a PRelu slope or a weight to pad) is not float32.");
        }

        return tensor.FloatData.Count > 0
            ? [.. tensor.FloatData]
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    private static TensorProto FloatTensor(string name, float[] values, IEnumerable<long> dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor;
    }
}
