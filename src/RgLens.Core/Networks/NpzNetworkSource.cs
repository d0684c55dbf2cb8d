using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>
/// An RgLens NPZ network (docs/network-format.md) as an <see cref="INetworkSource"/>: its layers
/// are <c>layer{l}.pre</c> (W_l z_{l−1} + c_l) and <c>layer{l}.act</c> (z_l) for each hidden layer
/// l = 1 … L−1; the output is z_L.
/// </summary>
public sealed class NpzNetworkSource : INetworkSource
{
    private readonly int _threads;
    private readonly string[] _layers;

    /// <summary>Reads the network at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">Unreadable file or unknown layer name.</exception>
    public NpzNetworkSource(string path, IReadOnlyList<string>? layers = null, int threads = 1)
        : this(Network.Load(path), path, layers, threads) { }

    /// <summary>Wraps a network in memory.</summary>
    public NpzNetworkSource(Network network, string path, IReadOnlyList<string>? layers = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Network = network;
        Path = path;
        _threads = threads;
        var all = AllLayers(network.Spec);
        _layers = layers is null ? all : NetworkSources.Select(layers, all, path);
    }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public NetworkFormat Format => NetworkFormat.RgLens;

    /// <inheritdoc />
    public int? InputWidth => Network.Spec.InputWidth;

    /// <inheritdoc />
    public IReadOnlyList<string> Layers => _layers;

    /// <summary>The name of layer l's pre-activations.</summary>
    public static string PreName(int layer) => $"layer{layer}.pre";

    /// <summary>The name of layer l's activations.</summary>
    public static string ActName(int layer) => $"layer{layer}.act";

    /// <inheritdoc />
    public NetworkOutputs Run(SampleMatrix<float> input)
    {
        NetworkSources.CheckInput(input, InputWidth);
        var o = Network.Observe(input, _threads);
        var spec = Network.Spec;
        var outputs = new List<LayerOutput>();
        foreach (string name in _layers)
        {
            int l = int.Parse(name.AsSpan(5, name.IndexOf('.') - 5), System.Globalization.CultureInfo.InvariantCulture);
            bool pre = name.EndsWith(".pre", StringComparison.Ordinal);
            var values = pre ? o.PreActivations(l) : o.Activations(l);
            outputs.Add(new LayerOutput(name, pre ? "linear" : NnNames.Name(spec.Layers[l - 1].Activation), values, [values.Rows, values.Columns])
            {
                Channels = ChannelLayout.Of(spec.Layers[l - 1]),
            });
        }
        // Keep the topological order whatever order the names were given in.
        outputs.Sort((a, b) => Array.IndexOf(AllLayers(spec), a.Name).CompareTo(Array.IndexOf(AllLayers(spec), b.Name)));
        var output = new LayerOutput("output", NnNames.Name(spec.Layers[^1].Activation), o.Output, [o.Output.Rows, o.Output.Columns]);
        return new NetworkOutputs(outputs, output);
    }

    /// <inheritdoc />
    public void Dispose() { }

    private static string[] AllLayers(NetworkSpec spec) =>
        Enumerable.Range(1, spec.Depth - 1).SelectMany(l => new[] { PreName(l), ActName(l) }).ToArray();
}
