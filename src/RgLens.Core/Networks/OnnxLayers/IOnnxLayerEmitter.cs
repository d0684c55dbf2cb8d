using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>
/// Writes one kind of layer into an exported ONNX graph (<see cref="OnnxExport"/>): the nodes and
/// weights that compute layer l's pre-activations. Both ends are in RgLens's layout, samples ×
/// units (a convolution's units site-major), so that every exported <c>layer{l}.pre</c> and
/// <c>layer{l}.act</c> holds what the engine's <c>Network.Observe</c> returns. A new layer kind is
/// a new emitter and one line in <see cref="OnnxExport"/>'s table.
/// </summary>
internal interface IOnnxLayerEmitter
{
    /// <summary>Adds layer <paramref name="l"/>'s nodes and weights; <paramref name="input"/> is samples × n_{l−1}, <paramref name="output"/> samples × n_l.</summary>
    void Emit(OnnxGraphWriter graph, Network network, int l, string input, string output);
}
