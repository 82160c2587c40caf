using Google.Protobuf;
using Onnx;

namespace IdVerify.Core.Models;

/// <summary>Offline graph rewrites that give a derived model file; each is deterministic (same original, same bytes).</summary>
public static class ModelRewrites
{
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

    public static byte[] Apply(string rewrite, byte[] original) => rewrite switch
    {
        PreluAsReluMix => RewritePrelu(original),
        DynamicInput => RewriteDynamicInput(original),
        _ => throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Unknown model rewrite '{rewrite}'."),
    };

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
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"PRelu slope '{tensor.Name}' is not float32.");
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
