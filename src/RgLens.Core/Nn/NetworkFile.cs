using System.Text.Json;
using System.Text.Json.Nodes;
using RgLens.IO;

namespace RgLens.Nn;

/// <summary>
/// The saved-network format (docs/network-format.md): an NPZ archive that <c>numpy.load</c>
/// reads, holding <c>header.json</c> (format name and version, widths n_0 … n_L, activation and
/// bias flag per layer, feature layer, objective, initialization) and float32 arrays
/// <c>W1 … WL</c> (shape n_l × n_{l−1}, or (out, in, k) for a convolution; the header's <c>layers</c>
/// says which; files without it are all dense) and <c>b1 … bL</c> (shape n_l; absent for layers without
/// bias). Layer l computes z_l = σ_l(z_{l−1} @ W_l.T + b_l).
/// </summary>
public static class NetworkFile
{
    /// <summary>The value of the header's <c>format</c> field.</summary>
    public const string FormatName = "rglens-network";

    /// <summary>The version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file.</param>
    /// <param name="immediate">Visible at once even inside an <see cref="IO.OutputSet"/> (a scratch file the same run reads back).</param>
    public static void Save(Network network, string path, bool immediate = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        NpzArchive.Write(path, JsonOutput.Serialize(Header(network.Spec)), Arrays(network.Spec, network.Parameters.ToArray(), ""), immediate);
    }

    /// <summary>Reads a network file, checking format, version, shapes and finiteness.</summary>
    /// <exception cref="DataFormatException">Missing, corrupt, truncated or inconsistent file (one line saying which).</exception>
    public static Network Load(string path)
    {
        using var reader = NpzArchive.Open(path, "network file");
        var spec = ReadSpec(reader, FormatName);
        return new Network(spec, ReadParameters(reader, spec, ""));
    }

    /// <summary>The header of a spec.</summary>
    internal static JsonObject Header(NetworkSpec spec, string format = FormatName) => new()
    {
        ["format"] = format,
        ["version"] = FormatVersion,
        ["widths"] = new JsonArray(spec.Widths.Select(w => (JsonNode?)w).ToArray()),
        ["activations"] = new JsonArray(spec.Layers.Select(l => (JsonNode?)NnNames.Name(l.Activation)).ToArray()),
        ["bias"] = new JsonArray(spec.Layers.Select(l => (JsonNode?)l.Bias).ToArray()),
        ["layers"] = new JsonArray(spec.Layers.Select(l => (JsonNode?)LayerHeader(l)).ToArray()),
        ["feature_layer"] = spec.FeatureLayer,
        ["objective"] = NnNames.Name(spec.Objective),
        ["init"] = NnNames.Name(spec.Init),
        ["layout"] = "W{l}: float32 (n_l, n_{l-1}); b{l}: float32 (n_l); z_l = act_l(z_{l-1} @ W{l}.T + b{l})"
            + (spec.Layers.Any(l => l.Kind == LayerKind.Conv1d) ? "; conv1d: W{l} float32 (out, in, k) as torch Conv1d.weight, b{l} (out), activations site-major (site * channels + channel)" : ""),
    };

    private static JsonObject LayerHeader(LayerSpec layer) => layer.Kind == LayerKind.Conv1d
        ? new JsonObject
        {
            ["kind"] = NnNames.Name(layer.Kind),
            ["in_channels"] = layer.InChannels,
            ["out_channels"] = layer.OutChannels,
            ["kernel"] = layer.Kernel,
            ["stride"] = layer.Stride,
            ["padding"] = NnNames.Name(layer.Padding),
            ["upsample"] = layer.Upsample,
            ["input_sites"] = layer.InputSites,
        }
        : new JsonObject { ["kind"] = NnNames.Name(layer.Kind) };

    private static LayerSpec ParseLayer(JsonNode? node, int width, Activation activation, bool bias, string path, int l)
    {
        if (node is null) return new LayerSpec(width, activation, bias);
        var o = node as JsonObject ?? throw new DataFormatException($"'{path}': layers[{l}] is not a JSON object.");
        var kind = NnNames.ParseKind(o["kind"]?.GetValue<string>() ?? "dense");
        if (kind == LayerKind.Dense) return new LayerSpec(width, activation, bias);
        int Field(string name) => o[name]?.GetValue<int>() ?? throw new DataFormatException($"'{path}': layers[{l}] lacks '{name}'.");
        var padding = NnNames.ParsePadding(o["padding"]?.GetValue<string>() ?? throw new DataFormatException($"'{path}': layers[{l}] lacks 'padding'."));
        var layer = LayerSpec.Conv1d(Field("in_channels"), Field("out_channels"), Field("input_sites"), Field("kernel"), Field("stride"), padding,
            activation, bias, o["upsample"]?.GetValue<int>() ?? 1);
        if (layer.Width != width) throw new DataFormatException($"'{path}': layer {l + 1} lists width {width}, but its convolution makes {layer.Width}.");
        return layer;
    }

    /// <summary>The arrays of a flat parameter vector, named with <paramref name="prefix"/> (e.g. <c>best.</c>).</summary>
    internal static IEnumerable<NpzArchive.FloatArray> Arrays(NetworkSpec spec, float[] parameters, string prefix)
    {
        var layout = new ParameterLayout(spec);
        for (int l = 1; l <= spec.Depth; l++)
        {
            yield return new($"{prefix}W{l}", layout.Weights(parameters, l).ToArray(), WeightShape(spec, layout, l));
            if (layout.BiasCount(l) > 0) yield return new($"{prefix}b{l}", layout.Biases(parameters, l).ToArray(), [layout.WeightRows(l)]);
        }
    }

    /// <summary>Reads the arrays named with <paramref name="prefix"/> back into a flat parameter vector.</summary>
    internal static float[] ReadParameters(NpzReader reader, NetworkSpec spec, string prefix)
    {
        var layout = new ParameterLayout(spec);
        var p = new float[layout.Count];
        for (int l = 1; l <= spec.Depth; l++)
        {
            reader.ReadFloats($"{prefix}W{l}", WeightShape(spec, layout, l)).CopyTo(layout.Weights(p, l));
            if (layout.BiasCount(l) > 0) reader.ReadFloats($"{prefix}b{l}", layout.WeightRows(l)).CopyTo(layout.Biases(p, l));
            else if (reader.Contains($"{prefix}b{l}")) throw new DataFormatException($"'{reader.Path}' holds {prefix}b{l} but the header says layer {l} has no bias.");
        }
        return p;
    }

    /// <summary>W_l's array shape: (n_l, n_{l−1}) for a dense layer, (out, in, k) for a convolution.</summary>
    private static long[] WeightShape(NetworkSpec spec, ParameterLayout layout, int l)
    {
        var layer = spec.Layers[l - 1];
        return layer.Kind == LayerKind.Conv1d ? [layer.OutChannels, layer.InChannels, layer.Kernel] : [layout.Outputs(l), layout.Inputs(l)];
    }

    /// <summary>Parses and checks the header of <paramref name="reader"/>'s archive.</summary>
    internal static NetworkSpec ReadSpec(NpzReader reader, string format)
    {
        string path = reader.Path;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(reader.ReadHeader());
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"'{path}': {NpzArchive.HeaderEntry} is not valid JSON ({e.Message.Split('\n')[0].TrimEnd('.')}).", e);
        }
        try
        {
            return ParseSpec(root as JsonObject ?? throw new DataFormatException($"'{path}': {NpzArchive.HeaderEntry} is not a JSON object."), format, path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or JsonException)
        {
            throw new DataFormatException($"'{path}': invalid header: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <summary>The spec described by a header object.</summary>
    internal static NetworkSpec ParseSpec(JsonObject header, string format, string path)
    {
        string? actual = header["format"]?.GetValue<string>();
        if (actual != format) throw new DataFormatException($"'{path}' is a '{actual ?? "(no format)"}' file; expected '{format}'.");
        int version = header["version"]?.GetValue<int>() ?? 0;
        if (version != FormatVersion) throw new DataFormatException($"'{path}' has format version {version}; this RgLens reads version {FormatVersion}.");
        int[] widths = Required<JsonArray>(header, "widths", path).Select(n => n!.GetValue<int>()).ToArray();
        string[] activations = Required<JsonArray>(header, "activations", path).Select(n => n!.GetValue<string>()).ToArray();
        bool[] bias = Required<JsonArray>(header, "bias", path).Select(n => n!.GetValue<bool>()).ToArray();
        if (widths.Length < 2 || activations.Length != widths.Length - 1 || bias.Length != widths.Length - 1)
            throw new DataFormatException($"'{path}': the header lists {widths.Length} widths, {activations.Length} activations and {bias.Length} bias flags; expected L + 1, L and L with L >= 1.");
        var layers = new LayerSpec[widths.Length - 1];
        var kinds = header["layers"] as JsonArray;
        if (header["layers"] is not null && (kinds is null || kinds.Count != layers.Length))
            throw new DataFormatException($"'{path}': the header's 'layers' must list {layers.Length} layers.");
        for (int l = 0; l < layers.Length; l++) layers[l] = ParseLayer(kinds?[l], widths[l + 1], NnNames.ParseActivation(activations[l]), bias[l], path, l);
        int feature = Required<JsonNode>(header, "feature_layer", path).GetValue<int>();
        var objective = NnNames.ParseObjective(Required<JsonNode>(header, "objective", path).GetValue<string>());
        var init = header["init"] is JsonNode i ? NnNames.ParseInit(i.GetValue<string>()) : InitScheme.Auto;
        return new NetworkSpec(widths[0], layers, feature, objective, init);
    }

    private static T Required<T>(JsonObject header, string name, string path) where T : JsonNode =>
        header[name] as T ?? throw new DataFormatException($"'{path}': the header lacks '{name}'.");
}
