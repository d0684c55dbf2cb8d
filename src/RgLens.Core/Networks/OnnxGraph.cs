using RgLens.IO;

namespace RgLens.Networks;

/// <summary>
/// The few parts of an ONNX model (onnx/onnx.proto) that RgLens reads: the graph's nodes (op type,
/// name, inputs, outputs), its inputs, outputs and initializer names; and the one edit it makes,
/// adding graph outputs so that ONNX Runtime returns intermediate tensors. Read with the
/// hand-written <see cref="ProtoWire"/> (see there why). Field numbers, from onnx.proto:
/// ModelProto.graph = 7, metadata_props = 14 (StringStringEntryProto key = 1, value = 2); GraphProto.node = 1, initializer = 5, input = 11, output = 12;
/// NodeProto.input = 1, output = 2, name = 3, op_type = 4, attribute = 5 (AttributeProto name = 1, f = 2, i = 3); ValueInfoProto.name = 1;
/// TensorProto.name = 8.
/// </summary>
internal sealed class OnnxGraph
{
    private const int ModelIrVersion = 1, ModelGraph = 7, ModelMetadata = 14, EntryKey = 1, EntryValue = 2;
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeFloat = 2, AttributeInt = 3;
    private const int ValueInfoName = 1, TensorName = 8;

    private OnnxGraph(List<OnnxNode> nodes, List<string> inputs, List<string> outputs, HashSet<string> initializers, Dictionary<string, string> metadata)
    {
        Metadata = metadata;
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
        Initializers = initializers;
    }

    /// <summary>The nodes, in file order (which onnx.proto requires to be topological).</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The graph inputs that are not initializers: what the caller feeds.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The model's metadata_props (key → value; the first of repeated keys).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The names of the stored tensors (weights).</summary>
    public IReadOnlySet<string> Initializers { get; }

    /// <summary>Reads the graph of a serialized ModelProto.</summary>
    /// <exception cref="DataFormatException">Not an ONNX model, or truncated.</exception>
    public static OnnxGraph Read(byte[] model, string path)
    {
        try
        {
            var fields = ProtoWire.Parse(model);
            if (!fields.Any(f => f.Number == ModelIrVersion && f.WireType == ProtoWire.Varint))
                throw new FormatException("no ir_version");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in fields.Where(f => f.Number == ModelMetadata && f.WireType == ProtoWire.Length))
                metadata.TryAdd(StringField(f.Payload, EntryKey), StringField(f.Payload, EntryValue));
            var graphs = fields.Where(f => f.Number == ModelGraph).ToList();
            if (graphs.Count == 0 || graphs.Any(g => g.WireType != ProtoWire.Length)) throw new FormatException("no graph");
            var nodes = new List<OnnxNode>();
            var inputs = new List<string>();
            var outputs = new List<string>();
            var initializers = new HashSet<string>();
            foreach (var g in graphs)
                foreach (var f in ProtoWire.Parse(g.Payload))
                {
                    if (f.WireType != ProtoWire.Length) continue;
                    switch (f.Number)
                    {
                        case GraphNode: nodes.Add(ReadNode(f.Payload)); break;
                        case GraphInitializer: initializers.Add(StringField(f.Payload, TensorName)); break;
                        case GraphInput: inputs.Add(StringField(f.Payload, ValueInfoName)); break;
                        case GraphOutput: outputs.Add(StringField(f.Payload, ValueInfoName)); break;
                    }
                }
            if (nodes.Count == 0) throw new FormatException("the graph has no nodes");
            return new OnnxGraph(nodes, inputs.Where(i => !initializers.Contains(i)).ToList(), outputs, initializers, metadata);
        }
        catch (FormatException e)
        {
            throw new DataFormatException($"'{path}' is not an ONNX model, or it is truncated ({e.Message}).", e);
        }
    }

    /// <summary>The model with <paramref name="names"/> appended to the graph's outputs (untyped: ONNX Runtime infers their types); every other byte kept.</summary>
    public static byte[] WithOutputs(byte[] model, IEnumerable<string> names)
    {
        var extra = names.ToList();
        if (extra.Count == 0) return model;
        var writer = new ProtoWire.Writer();
        bool done = false;
        foreach (var f in ProtoWire.Parse(model))
        {
            if (f.Number != ModelGraph || done) { writer.Raw(f); continue; }
            // Protocol buffers merge repeated occurrences of a message field, so editing the first
            // occurrence is enough even in the (unusual) case of a graph split across several.
            writer.Message(ModelGraph, g =>
            {
                foreach (var gf in ProtoWire.Parse(f.Payload)) g.Raw(gf);
                foreach (string name in extra) g.Message(GraphOutput, v => v.String(ValueInfoName, name));
            });
            done = true;
        }
        return writer.ToArray();
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> payload)
    {
        string name = "", op = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var ints = new Dictionary<string, long>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var f in ProtoWire.Parse(payload))
        {
            if (f.WireType != ProtoWire.Length) continue;
            switch (f.Number)
            {
                case NodeInput: inputs.Add(f.Text); break;
                case NodeOutput: outputs.Add(f.Text); break;
                case NodeName: name = f.Text; break;
                case NodeOpType: op = f.Text; break;
                case NodeAttribute: ReadAttribute(f.Payload, ints, floats); break;
            }
        }
        return new OnnxNode(name, op, inputs, outputs) { IntAttributes = ints, FloatAttributes = floats };
    }

    /// <summary>An attribute's int (i) or float (f) value, by name; other kinds are not needed.</summary>
    private static void ReadAttribute(ReadOnlyMemory<byte> payload, Dictionary<string, long> ints, Dictionary<string, float> floats)
    {
        string name = "";
        long? i = null;
        float? x = null;
        foreach (var f in ProtoWire.Parse(payload))
        {
            if (f.Number == AttributeName && f.WireType == ProtoWire.Length) name = f.Text;
            else if (f.Number == AttributeInt && f.WireType == ProtoWire.Varint) i = (long)f.Value;
            else if (f.Number == AttributeFloat && f.WireType == ProtoWire.Fixed32) x = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(f.Payload.Span);
        }
        if (name.Length == 0) return;
        if (i is { } iv) ints.TryAdd(name, iv);
        if (x is { } xv) floats.TryAdd(name, xv);
    }

    private static string StringField(ReadOnlyMemory<byte> message, int number)
    {
        foreach (var f in ProtoWire.Parse(message))
            if (f.Number == number && f.WireType == ProtoWire.Length) return f.Text;
        return "";
    }
}

/// <summary>One node of an ONNX graph.</summary>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="OpType">The operator, e.g. <c>Gemm</c>, <c>Tanh</c>.</param>
/// <param name="Inputs">The tensors it reads.</param>
/// <param name="Outputs">The tensors it writes.</param>
internal sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    /// <summary>The node's int attributes (e.g. Gemm's transB), by name.</summary>
    public IReadOnlyDictionary<string, long> IntAttributes { get; init; } = new Dictionary<string, long>();

    /// <summary>The node's float attributes (e.g. Gemm's alpha), by name.</summary>
    public IReadOnlyDictionary<string, float> FloatAttributes { get; init; } = new Dictionary<string, float>();

    /// <summary>An int attribute, or <paramref name="otherwise"/> where the node has none of that name (ONNX's default).</summary>
    public long IntAttribute(string name, long otherwise) => IntAttributes.GetValueOrDefault(name, otherwise);

    /// <summary>A float attribute, or <paramref name="otherwise"/> where the node has none of that name (ONNX's default).</summary>
    public float FloatAttribute(string name, float otherwise) => FloatAttributes.GetValueOrDefault(name, otherwise);
}
