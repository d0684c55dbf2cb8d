using System.Buffers.Binary;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>
/// Writes an RgLens <see cref="Network"/> as an ONNX model (opset 17): per layer l a
/// <c>Gemm</c> (transB = 1, weights <c>W{l}</c> n_l × n_{l−1}, bias <c>b{l}</c>) writing
/// <c>layer{l}.pre</c>, then the activation (Tanh, Sigmoid, Relu; Identity for a linear hidden
/// layer) writing <c>layer{l}.act</c>; the last layer writes <c>output</c>. The input is
/// <c>input</c>, float32 [batch, n_0]. The same network gives the same bytes.
/// </summary>
public static class OnnxExport
{
    /// <summary>The opset the exported graph declares.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version the exported model declares.</summary>
    public const int IrVersion = 8;

    // onnx.proto field numbers used below.
    private const int ModelIr = 1, ModelProducer = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpset = 8;
    private const int OpsetVersion = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphDoc = 10, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOp = 4, NodeAttribute = 5;
    private const int AttrName = 1, AttrInt = 3, AttrType = 20, AttrTypeInt = 2;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRaw = 9, Float = 1;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorElemType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;

    /// <summary>The serialized ModelProto.</summary>
    public static byte[] ToBytes(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var spec = network.Spec;
        for (int l = 1; l <= spec.Depth; l++)
            if (spec.Layers[l - 1].Kind != LayerKind.Dense)
                throw new ArgumentException($"ONNX export supports dense layers only; layer {l} is a {NnNames.Name(spec.Layers[l - 1].Kind)} layer.");
        return new ProtoWire.Writer()
            .Int(ModelIr, IrVersion)
            .String(ModelProducer, "rglens")
            .String(ModelProducerVersion, NetworkFile.FormatName + "/" + NetworkFile.FormatVersion)
            .Message(ModelGraph, g =>
            {
                string below = "input";
                for (int l = 1; l <= spec.Depth; l++)
                {
                    var layer = spec.Layers[l - 1];
                    bool last = l == spec.Depth, linear = layer.Activation == Activation.Identity;
                    string pre = last && linear ? "output" : NpzNetworkSource.PreName(l);
                    string act = last ? "output" : NpzNetworkSource.ActName(l);
                    string[] inputs = layer.Bias ? [below, $"W{l}", $"b{l}"] : [below, $"W{l}"];
                    g.Message(GraphNode, n =>
                    {
                        foreach (string i in inputs) n.String(NodeInput, i);
                        n.String(NodeOutput, pre).String(NodeName, $"layer{l}.gemm").String(NodeOp, "Gemm");
                        n.Message(NodeAttribute, a => a.String(AttrName, "transB").Int(AttrInt, 1).Int(AttrType, AttrTypeInt));
                    });
                    if (!(last && linear))
                        g.Message(GraphNode, n => n.String(NodeInput, pre).String(NodeOutput, act)
                            .String(NodeName, $"layer{l}.{NnNames.Name(layer.Activation)}").String(NodeOp, OpType(layer.Activation)));
                    below = act;
                }
                g.String(GraphName, "rglens-network");
                for (int l = 1; l <= spec.Depth; l++)
                {
                    g.Message(GraphInitializer, t => Tensor(t, $"W{l}", network.GetWeights(l), [spec.Layers[l - 1].Width, spec.Widths[l - 1]]));
                    if (spec.Layers[l - 1].Bias)
                        g.Message(GraphInitializer, t => Tensor(t, $"b{l}", network.GetBiases(l), [spec.Layers[l - 1].Width]));
                }
                g.String(GraphDoc, spec.Describe());
                g.Message(GraphInput, v => Value(v, "input", spec.InputWidth));
                g.Message(GraphOutput, v => Value(v, "output", spec.OutputWidth));
            })
            .Message(ModelOpset, o => o.Int(OpsetVersion, Opset))
            .ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically.</summary>
    public static void Save(Network network, string path) => AtomicFile.WriteAllBytes(path, ToBytes(network));

    private static string OpType(Activation a) => a switch
    {
        Activation.Identity => "Identity",
        Activation.Tanh => "Tanh",
        Activation.Sigmoid => "Sigmoid",
        Activation.Relu => "Relu",
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "no ONNX operator for this activation."),
    };

    private static void Tensor(ProtoWire.Writer t, string name, float[] values, int[] dims)
    {
        foreach (int d in dims) t.Int(TensorDims, d);
        t.Int(TensorDataType, Float).String(TensorName, name);
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        t.Bytes(TensorRaw, raw);
    }

    private static void Value(ProtoWire.Writer v, string name, int width) =>
        v.String(ValueName, name).Message(ValueType, type => type.Message(TypeTensor, tensor => tensor
            .Int(TensorElemType, Float)
            .Message(TensorShape, shape => shape
                .Message(ShapeDim, d => d.String(DimParam, "batch"))
                .Message(ShapeDim, d => d.Int(DimValue, width)))));
}
