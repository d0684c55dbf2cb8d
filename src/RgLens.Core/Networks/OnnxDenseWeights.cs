using RgLens.IO;

namespace RgLens.Networks;

/// <summary>One dense layer's weights, row-major outputs × inputs (the layout of RgLens and of PyTorch's Linear).</summary>
/// <param name="Values">W[o·Inputs + i].</param>
/// <param name="Outputs">Rows: the layer's units.</param>
/// <param name="Inputs">Columns: the units (or input sites) below.</param>
public sealed record DenseWeights(float[] Values, int Outputs, int Inputs);

/// <summary>
/// The weights of the dense layers of an ONNX model, where a tensor is reached from the graph's
/// input through a plain chain of dense layers: each a <c>Gemm</c> (transA = 0, either transB)
/// or a <c>MatMul</c> (optionally followed by an <c>Add</c> of a bias) on stored weights, with one
/// elementwise activation between two of them. Such a layer's order gauge can then use the
/// receptive field |W_l|·…·|W_1| of its weights, exactly as for an RgLens network (so the same
/// network read from its NPZ file and from its ONNX export gets the same gauge), instead of the
/// empirical field, which costs a samples × units × inputs product. Anything else in the path
/// (a convolution, a reshape, a skip connection, weights computed by the graph) gives no chain,
/// and the caller falls back to the empirical field. TensorProto fields read, from onnx.proto:
/// dims = 1, data_type = 2 (FLOAT = 1), float_data = 4, name = 8, raw_data = 9;
/// NodeProto.attribute = 5 (AttributeProto name = 1, f = 2, i = 3).
/// </summary>
internal static class OnnxDenseWeights
{
    private const int ModelGraph = 7, GraphNode = 1, GraphInitializer = 5;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorName = 8, TensorRawData = 9, FloatType = 1;

    /// <summary>Activations that act unit by unit: the receptive field passes through them unchanged.</summary>
    private static readonly IReadOnlySet<string> Elementwise = new HashSet<string>(
        OnnxNetworkSource.ActivationOps.Where(op => op is not ("Softmax" or "LogSoftmax")), StringComparer.Ordinal);

    /// <summary>
    /// For each tensor in <paramref name="tensors"/> (an activation's output or the pre-activation
    /// before it), the weights W_1 … W_k from the graph input to it, or null where the path is not
    /// a chain of dense layers. <paramref name="inputWidth"/> is the data's width (checked against W_1).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DenseWeights>?> Chains(byte[] model, string path, IReadOnlyList<string> tensors, int inputWidth)
    {
        var graph = OnnxGraph.Read(model, path);
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (string o in node.Outputs)
                if (o.Length > 0) producer.TryAdd(o, node);
        var initializers = Initializers(model);
        var memo = new Dictionary<string, IReadOnlyList<DenseWeights>?>(StringComparer.Ordinal);
        string? input = graph.Inputs.Count == 1 ? graph.Inputs[0] : null;

        // The chain up to (and including) the dense layer that produces `tensor`, looking through one activation.
        IReadOnlyList<DenseWeights>? ChainOf(string tensor, int depth)
        {
            if (memo.TryGetValue(tensor, out var known)) return known;
            IReadOnlyList<DenseWeights>? chain = null;
            if (depth < 10_000 && producer.TryGetValue(tensor, out var node))
            {
                if (Elementwise.Contains(node.OpType) && node.Inputs.Count > 0) chain = ChainOf(node.Inputs[0], depth + 1);
                else if (Dense(node) is var (below, w) && w is not null)
                {
                    IReadOnlyList<DenseWeights>? lower = below == input ? Array.Empty<DenseWeights>()
                        : producer.TryGetValue(below, out var act) && Elementwise.Contains(act.OpType) ? ChainOf(below, depth + 1) : null;
                    int width = lower is null ? -1 : lower.Count == 0 ? inputWidth : lower[^1].Outputs;
                    if (lower is not null && w.Inputs == width) chain = [.. lower, w];
                }
            }
            memo[tensor] = chain;
            return chain;
        }

        // (the tensor below, the weights) of a dense node, or (below, null).
        (string Below, DenseWeights? W) Dense(OnnxNode node)
        {
            if (node.OpType == "Add" && node.Inputs.Count == 2)
            {
                // MatMul + bias (either order of Add's inputs).
                foreach (var (a, b) in new[] { (node.Inputs[0], node.Inputs[1]), (node.Inputs[1], node.Inputs[0]) })
                    if (graph.Initializers.Contains(b) && producer.TryGetValue(a, out var mm) && mm.OpType == "MatMul") return Dense(mm);
                return ("", null);
            }
            if (node.OpType == "MatMul" && node.Inputs.Count == 2 && initializers.TryGetValue(node.Inputs[1], out var m) && m.Dims.Length == 2)
                return (node.Inputs[0], Transposed(m)); // y = x W, W inputs × outputs
            if (node.OpType == "Gemm" && node.Inputs.Count >= 2 && node.IntAttribute("transA", 0) == 0 && node.FloatAttribute("alpha", 1) != 0
                && initializers.TryGetValue(node.Inputs[1], out var g) && g.Dims.Length == 2)
                return (node.Inputs[0], node.IntAttribute("transB", 0) != 0 ? Rows(g) : Transposed(g));
            return ("", null);
        }

        var result = new Dictionary<string, IReadOnlyList<DenseWeights>?>(StringComparer.Ordinal);
        foreach (string t in tensors) result[t] = input is null ? null : ChainOf(t, 0);
        return result;
    }

    private sealed record Tensor(long[] Dims, ReadOnlyMemory<byte> Payload);

    private static DenseWeights Rows(Tensor t) => new(Floats(t), checked((int)t.Dims[0]), checked((int)t.Dims[1]));

    private static DenseWeights Transposed(Tensor t)
    {
        int rows = checked((int)t.Dims[0]), cols = checked((int)t.Dims[1]);
        var v = Floats(t);
        var w = new float[v.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) w[(long)c * rows + r] = v[(long)r * cols + c];
        return new DenseWeights(w, cols, rows);
    }

    private static float[] Floats(Tensor t)
    {
        long count = t.Dims[0] * t.Dims[1];
        var span = t.Payload.Span;
        // raw_data: little-endian floats; float_data: packed (or, rarely, one fixed32 field each, collected by Initializers).
        if (span.Length != count * sizeof(float)) throw new FormatException($"a weight tensor holds {span.Length} bytes for {count} floats");
        var v = new float[count];
        for (int i = 0; i < v.Length; i++) v[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(span.Slice(4 * i, 4));
        return v;
    }

    /// <summary>The graph's 2-D float initializers by name (others are left out).</summary>
    private static Dictionary<string, Tensor> Initializers(byte[] model)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var f in ProtoWire.Parse(model))
        {
            if (f.Number != ModelGraph || f.WireType != ProtoWire.Length) continue;
            foreach (var g in ProtoWire.Parse(f.Payload))
            {
                if (g.Number != GraphInitializer || g.WireType != ProtoWire.Length) continue;
                string name = "";
                var dims = new List<long>();
                long type = 0;
                ReadOnlyMemory<byte>? raw = null;
                var floats = new List<byte>();
                foreach (var t in ProtoWire.Parse(g.Payload))
                {
                    switch (t.Number, t.WireType)
                    {
                        case (TensorName, ProtoWire.Length): name = t.Text; break;
                        case (TensorDataType, ProtoWire.Varint): type = (long)t.Value; break;
                        case (TensorDims, ProtoWire.Varint): dims.Add((long)t.Value); break;
                        case (TensorDims, ProtoWire.Length):
                            var packed = t.Payload;
                            int pos = 0;
                            while (pos < packed.Length) dims.Add((long)ProtoWire.ReadVarint(packed.Span, ref pos));
                            break;
                        case (TensorRawData, ProtoWire.Length): raw = t.Payload; break;
                        case (TensorFloatData, ProtoWire.Length): floats.AddRange(t.Payload.ToArray()); break;
                        case (TensorFloatData, ProtoWire.Fixed32): floats.AddRange(t.Payload.ToArray()); break;
                    }
                }
                if (type != FloatType || dims.Count != 2 || dims.Any(d => d <= 0 || d > int.MaxValue) || dims[0] * dims[1] > int.MaxValue / 4) continue;
                var payload = raw ?? floats.ToArray();
                if (payload.Length != dims[0] * dims[1] * 4) continue;
                result.TryAdd(name, new Tensor(dims.ToArray(), payload));
            }
        }
        return result;
    }
}
