using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>
/// Writes an RgLens <see cref="Network"/> as an ONNX model (opset 17, standard operators only).
/// Per layer l the layer kind's emitter (<see cref="Emitters"/>) writes the pre-activations
/// <c>layer{l}.pre</c> — a dense layer as a <c>Gemm</c>, a convolution as Reshape/Transpose to NCW,
/// Resize (upsampling), Slice + Concat (circular padding), Conv and back — and the activation (Tanh,
/// Sigmoid, Relu; Identity for a linear hidden layer) writes <c>layer{l}.act</c>; the last layer
/// writes <c>output</c>. The input is <c>input</c>, float32 [batch, n_0]. Every layer tensor is
/// samples × units in RgLens's layout (a convolution's units site-major, as <c>Network.Observe</c>
/// returns them), and the model's metadata records each convolution's channels × sites
/// (<see cref="ChannelLayout.MetadataPrefix"/>). The same network gives the same bytes.
/// </summary>
public static class OnnxExport
{
    /// <summary>The opset the exported graph declares.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version the exported model declares.</summary>
    public const int IrVersion = 8;

    /// <summary>The emitter of each layer kind: adding a kind is a file and a line here.</summary>
    private static readonly IReadOnlyDictionary<LayerKind, IOnnxLayerEmitter> Emitters = new Dictionary<LayerKind, IOnnxLayerEmitter>
    {
        [LayerKind.Dense] = new DenseOnnxEmitter(),
        [LayerKind.Conv1d] = new Conv1dOnnxEmitter(),
    };

    // onnx.proto field numbers used below.
    private const int ModelIr = 1, ModelProducer = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpset = 8, ModelMetadata = 14;
    private const int OpsetVersion = 2, EntryKey = 1, EntryValue = 2;
    private const int GraphName = 2, GraphDoc = 10, GraphInput = 11, GraphOutput = 12;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorElemType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2, Float = 1;

    /// <summary>The serialized ModelProto.</summary>
    /// <exception cref="ArgumentException">A layer kind without an emitter (none today).</exception>
    /// <exception cref="OperationCanceledException">The run's token (<see cref="RunCancellation"/>) was cancelled; it is looked at before each layer is encoded, before each layer's weights are written and before the model is assembled.</exception>
    public static byte[] ToBytes(Network network)
    {
        var parts = Encode(network);
        var all = new byte[parts.Sum(p => (long)p.Length)];
        long at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(all.AsSpan((int)at));
            at += part.Length;
        }
        return all;
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically (the bytes of <see cref="ToBytes"/>) and
    /// returns its size. The encoded weights are written in pieces of <see cref="WritePiece"/> bytes
    /// with a look at the run's cancellation before each, and are never copied into one array first:
    /// a cancelled run leaves no file and stops within one piece's write.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file.</param>
    /// <param name="immediate">Visible at once even inside an <see cref="OutputSet"/> (a scratch file the same run reads back).</param>
    public static long Save(Network network, string path, bool immediate = false)
    {
        var parts = Encode(network);
        using var file = AtomicFile.Create(path, immediate);
        long written = 0;
        foreach (var part in parts)
            for (int at = 0; at < part.Length; at += WritePiece)
            {
                RunCancellation.ThrowIfRequested();
                var piece = part.Span.Slice(at, Math.Min(WritePiece, part.Length - at));
                file.Stream.Write(piece);
                written += piece.Length;
            }
        RunCancellation.ThrowIfRequested();
        file.Commit();
        return written;
    }

    /// <summary>Bytes written between looks at the run's cancellation (a few ms of writing each).</summary>
    private const int WritePiece = 8 << 20;

    /// <summary>The model's bytes in order: its head, the graph field's key and length, the graph, its tail.</summary>
    private static ReadOnlyMemory<byte>[] Encode(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var spec = network.Spec;
        // One writer per layer, so that the run's cancellation can be looked at between layers
        // while the weights are written too; nodes, then initializers, in layer order: the same
        // bytes as one writer for the whole graph.
        var layers = new OnnxGraphWriter[spec.Depth];
        var metadata = new List<(string Key, string Value)>();
        string below = "input";
        for (int l = 1; l <= spec.Depth; l++)
        {
            RunCancellation.ThrowIfRequested();
            var layer = spec.Layers[l - 1];
            if (!Emitters.TryGetValue(layer.Kind, out var emitter))
                throw new ArgumentException($"ONNX export has no emitter for layer {l}, a {NnNames.Name(layer.Kind)} layer.");
            var writer = layers[l - 1] = new OnnxGraphWriter();
            bool last = l == spec.Depth, linear = layer.Activation == Activation.Identity;
            string pre = last && linear ? "output" : NpzNetworkSource.PreName(l);
            string act = last ? "output" : NpzNetworkSource.ActName(l);
            emitter.Emit(writer, network, l, below, pre);
            if (!(last && linear))
                writer.Node(OpType(layer.Activation), $"layer{l}.{NnNames.Name(layer.Activation)}", [pre], act);
            if (!last && ChannelLayout.Of(layer) is { } channels)
                foreach (string tensor in new[] { pre, act })
                    metadata.Add((ChannelLayout.MetadataPrefix + tensor, channels.ToMetadata()));
            below = act;
        }
        // The graph holds the weights: written layer by layer with a look at the cancellation
        // before each, then placed into the model without a copy (the writer's nested message
        // would copy it twice more, each a stretch of hundreds of ms without a look for a large network).
        var graphWriter = new ProtoWire.Writer();
        foreach (var layer in layers) layer.WriteNodes(graphWriter);
        graphWriter.String(GraphName, "rglens-network");
        foreach (var layer in layers)
        {
            RunCancellation.ThrowIfRequested();
            layer.WriteInitializers(graphWriter);
        }
        graphWriter.String(GraphDoc, spec.Describe());
        graphWriter.Message(GraphInput, v => Value(v, "input", spec.InputWidth));
        graphWriter.Message(GraphOutput, v => Value(v, "output", spec.OutputWidth));
        var graph = graphWriter.Written;
        RunCancellation.ThrowIfRequested();
        byte[] head = new ProtoWire.Writer()
            .Int(ModelIr, IrVersion)
            .String(ModelProducer, "rglens")
            .String(ModelProducerVersion, NetworkFile.FormatName + "/" + NetworkFile.FormatVersion)
            .ToArray();
        var tail = new ProtoWire.Writer().Message(ModelOpset, o => o.Int(OpsetVersion, Opset));
        foreach (var (key, value) in metadata)
            tail.Message(ModelMetadata, e => e.String(EntryKey, key).String(EntryValue, value));
        return [head, FieldPrefix(ModelGraph, graph.Length), graph, tail.ToArray()];
    }

    /// <summary>The key and length that precede a length-delimited field's bytes (what <see cref="ProtoWire.Writer.Bytes"/> writes before them).</summary>
    private static byte[] FieldPrefix(int number, int length)
    {
        var prefix = new List<byte>(8);
        foreach (ulong value in new[] { ((ulong)number << 3) | ProtoWire.Length, (ulong)length })
        {
            ulong v = value;
            for (; v >= 0x80; v >>= 7) prefix.Add((byte)(v | 0x80));
            prefix.Add((byte)v);
        }
        return prefix.ToArray();
    }

    private static string OpType(Activation a) => a switch
    {
        Activation.Identity => "Identity",
        Activation.Tanh => "Tanh",
        Activation.Sigmoid => "Sigmoid",
        Activation.Relu => "Relu",
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "no ONNX operator for this activation."),
    };

    private static void Value(ProtoWire.Writer v, string name, int width) =>
        v.String(ValueName, name).Message(ValueType, type => type.Message(TypeTensor, tensor => tensor
            .Int(TensorElemType, Float)
            .Message(TensorShape, shape => shape
                .Message(ShapeDim, d => d.String(DimParam, "batch"))
                .Message(ShapeDim, d => d.Int(DimValue, width)))));
}
