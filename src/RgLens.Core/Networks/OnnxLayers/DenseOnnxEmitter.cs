using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>A dense layer: one <c>Gemm</c> (transB = 1) with weights <c>W{l}</c> (n_l × n_{l−1}) and bias <c>b{l}</c>.</summary>
internal sealed class DenseOnnxEmitter : IOnnxLayerEmitter
{
    public void Emit(OnnxGraphWriter graph, Network network, int l, string input, string output)
    {
        var layer = network.Spec.Layers[l - 1];
        string w = graph.Floats($"W{l}", network.GetWeights(l), layer.Width, network.Spec.Widths[l - 1]);
        string[] inputs = layer.Bias ? [input, w, graph.Floats($"b{l}", network.GetBiases(l), layer.Width)] : [input, w];
        graph.Node("Gemm", $"layer{l}.gemm", inputs, output, new OnnxGraphWriter.Attribute("transB", Int: 1));
    }
}
