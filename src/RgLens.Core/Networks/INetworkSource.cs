using RgLens.Data;

namespace RgLens.Networks;

/// <summary>
/// A trained network that RgLens can look inside, whatever wrote it: given input samples
/// (samples × N) it returns the named layer outputs, in topological order, and the final output.
/// Open one with <see cref="NetworkSources.Open"/>.
/// </summary>
public interface INetworkSource : IDisposable
{
    /// <summary>The file the network was read from.</summary>
    string Path { get; }

    /// <summary>What kind of file it is.</summary>
    NetworkFormat Format { get; }

    /// <summary>N, the number of inputs per sample; null when the file leaves it open.</summary>
    int? InputWidth { get; }

    /// <summary>The layers <see cref="Run"/> returns, in topological order.</summary>
    IReadOnlyList<string> Layers { get; }

    /// <summary>Every layer in <see cref="Layers"/> and the final output for every row of <paramref name="input"/>.</summary>
    /// <exception cref="DataFormatException">The input has the wrong width, no rows, or a value that is not finite.</exception>
    NetworkOutputs Run(SampleMatrix<float> input);
}

/// <summary>The file formats of <see cref="INetworkSource"/>.</summary>
public enum NetworkFormat
{
    /// <summary>RgLens's own NPZ network (docs/network-format.md).</summary>
    RgLens,

    /// <summary>An ONNX model, run by ONNX Runtime.</summary>
    Onnx,
}

/// <summary>
/// One layer's output on a batch: samples × units (flattened row-major when the tensor has more
/// than two axes), with the tensor's original shape (batch axis first).
/// </summary>
/// <param name="Name">The layer's name (an ONNX tensor name, or <c>layer{l}.pre</c> / <c>layer{l}.act</c>).</param>
/// <param name="Operation">What produced it: the ONNX op type (Tanh, Relu, Gemm, …) or RgLens's activation name.</param>
/// <param name="Values">samples × units.</param>
/// <param name="Shape">The original shape, batch axis first.</param>
public sealed record LayerOutput(string Name, string Operation, SampleMatrix<float> Values, IReadOnlyList<long> Shape)
{
    /// <summary>
    /// The units as channels on the chain, when the layer is convolutional: an RgLens convolution
    /// (site-major), an ONNX tensor of shape [batch, C, W] with W ≥ 2 (NCW), or an ONNX tensor whose
    /// layout the model's metadata records (RgLens's export); null otherwise.
    /// </summary>
    public ChannelLayout? Channels { get; init; }
}

/// <summary>What <see cref="INetworkSource.Run"/> returns: the layers in topological order and the final output.</summary>
public sealed class NetworkOutputs
{
    /// <summary>Creates the result.</summary>
    public NetworkOutputs(IReadOnlyList<LayerOutput> layers, LayerOutput output)
    {
        Layers = layers;
        Output = output;
    }

    /// <summary>The layers, in topological order.</summary>
    public IReadOnlyList<LayerOutput> Layers { get; }

    /// <summary>The network's final output.</summary>
    public LayerOutput Output { get; }

    /// <summary>The layer called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such layer.</exception>
    public LayerOutput this[string name] =>
        Layers.FirstOrDefault(l => l.Name == name) ?? throw new KeyNotFoundException($"no layer '{name}'; the layers are {string.Join(", ", Layers.Select(l => l.Name))}.");
}
