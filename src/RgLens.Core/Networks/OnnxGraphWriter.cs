using System.Buffers.Binary;
using RgLens.IO;

namespace RgLens.Networks;

/// <summary>
/// Collects the nodes and initializers (stored tensors) of an ONNX graph in the order they are
/// added, for <see cref="OnnxExport"/> and its per-layer emitters, and writes them as GraphProto
/// fields. Field numbers, from onnx/onnx.proto: GraphProto.node = 1, initializer = 5;
/// NodeProto.input = 1, output = 2, name = 3, op_type = 4, attribute = 5; AttributeProto.name = 1,
/// i = 3, s = 4, ints = 8, type = 20 (INT = 2, STRING = 3, INTS = 7); TensorProto.dims = 1,
/// data_type = 2 (FLOAT = 1, INT64 = 7), name = 8, raw_data = 9 (little-endian).
/// </summary>
internal sealed class OnnxGraphWriter
{
    private const int GraphNode = 1, GraphInitializer = 5;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOp = 4, NodeAttribute = 5;
    private const int AttrName = 1, AttrInt = 3, AttrString = 4, AttrInts = 8, AttrType = 20, TypeInt = 2, TypeString = 3, TypeInts = 7;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRaw = 9, Float = 1, Int64 = 7;

    private readonly List<Action<ProtoWire.Writer>> _nodes = [];
    private readonly List<Action<ProtoWire.Writer>> _initializers = [];

    /// <summary>An attribute of a node: an integer, a string or a list of integers.</summary>
    public readonly record struct Attribute(string Name, long? Int = null, string? Text = null, long[]? Ints = null);

    /// <summary>Adds a node writing <paramref name="output"/>; returns the output's name.</summary>
    public string Node(string op, string name, IReadOnlyList<string> inputs, string output, params Attribute[] attributes)
    {
        _nodes.Add(n =>
        {
            foreach (string i in inputs) n.String(NodeInput, i);
            n.String(NodeOutput, output).String(NodeName, name).String(NodeOp, op);
            foreach (var a in attributes) n.Message(NodeAttribute, w => WriteAttribute(w, a));
        });
        return output;
    }

    /// <summary>Stores a float32 tensor; returns its name.</summary>
    public string Floats(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        return Tensor(name, Float, raw, dims);
    }

    /// <summary>Stores a one-dimensional int64 tensor (shapes, slice bounds); returns its name.</summary>
    public string Int64s(string name, params long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        return Tensor(name, Int64, raw, values.Length);
    }

    /// <summary>Writes the nodes (GraphProto.node).</summary>
    public void WriteNodes(ProtoWire.Writer graph)
    {
        foreach (var node in _nodes) graph.Message(GraphNode, node);
    }

    /// <summary>Writes the initializers (GraphProto.initializer).</summary>
    public void WriteInitializers(ProtoWire.Writer graph)
    {
        foreach (var tensor in _initializers) graph.Message(GraphInitializer, tensor);
    }

    private string Tensor(string name, int type, byte[] raw, params long[] dims)
    {
        _initializers.Add(t =>
        {
            foreach (long d in dims) t.Int(TensorDims, d);
            t.Int(TensorDataType, type).String(TensorName, name).Bytes(TensorRaw, raw);
        });
        return name;
    }

    private static void WriteAttribute(ProtoWire.Writer w, Attribute a)
    {
        w.String(AttrName, a.Name);
        if (a.Int is long i) w.Int(AttrInt, i).Int(AttrType, TypeInt);
        else if (a.Text is string s) w.String(AttrString, s).Int(AttrType, TypeString);
        else if (a.Ints is long[] ints)
        {
            foreach (long v in ints) w.Int(AttrInts, v);
            w.Int(AttrType, TypeInts);
        }
        else throw new ArgumentException($"attribute '{a.Name}' has no value.");
    }
}
