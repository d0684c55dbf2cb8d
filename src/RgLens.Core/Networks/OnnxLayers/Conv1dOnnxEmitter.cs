using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>
/// A <see cref="LayerKind.Conv1d"/> layer, as PyTorch exports <c>Upsample</c> + <c>Conv1d</c>:
/// the site-major input (samples × sites · C_in) is reshaped to [batch, sites, C_in] and transposed
/// to ONNX's NCW [batch, C_in, sites]; a nearest-neighbour upsampling is a <c>Resize</c> (mode
/// nearest, asymmetric coordinates, floor: output site j reads input site ⌊j/u⌋); circular padding
/// is two <c>Slice</c>s of the chain's ends and a <c>Concat</c> (the last p sites before, the first
/// p after), zero padding the <c>Conv</c>'s own <c>pads</c>; the <c>Conv</c> (weights <c>W{l}</c>
/// [C_out, C_in, k], bias <c>b{l}</c> [C_out], stride s) is then transposed and reshaped back to
/// samples × sites · C_out, site-major.
/// </summary>
internal sealed class Conv1dOnnxEmitter : IOnnxLayerEmitter
{
    public void Emit(OnnxGraphWriter graph, Network network, int l, string input, string output)
    {
        var layer = network.Spec.Layers[l - 1];
        int pad = (layer.Kernel - 1) / 2, sites = layer.UpsampledSites;
        string p = $"layer{l}";
        string x = graph.Node("Reshape", $"{p}.reshape_in", [input, graph.Int64s($"{p}.shape_in", -1, layer.InputSites, layer.InChannels)], $"{p}.nwc_in");
        x = graph.Node("Transpose", $"{p}.to_ncw", [x], $"{p}.ncw_in", new OnnxGraphWriter.Attribute("perm", Ints: [0, 2, 1]));
        if (layer.Upsample > 1)
            x = graph.Node("Resize", $"{p}.upsample", [x, "", graph.Floats($"{p}.scales", [1f, 1f, layer.Upsample], 3)], $"{p}.upsampled",
                new("coordinate_transformation_mode", Text: "asymmetric"), new("mode", Text: "nearest"), new("nearest_mode", Text: "floor"));
        bool circular = layer.Padding == Padding.Circular && pad > 0;
        if (circular)
        {
            string axis = graph.Int64s($"{p}.axis", 2);
            string left = graph.Node("Slice", $"{p}.wrap_left", [x, graph.Int64s($"{p}.left_start", sites - pad), graph.Int64s($"{p}.left_end", sites), axis], $"{p}.left");
            string right = graph.Node("Slice", $"{p}.wrap_right", [x, graph.Int64s($"{p}.right_start", 0), graph.Int64s($"{p}.right_end", pad), axis], $"{p}.right");
            x = graph.Node("Concat", $"{p}.pad", [left, x, right], $"{p}.padded", new OnnxGraphWriter.Attribute("axis", Int: 2));
        }
        string w = graph.Floats($"W{l}", network.GetWeights(l), layer.OutChannels, layer.InChannels, layer.Kernel);
        string[] inputs = layer.Bias ? [x, w, graph.Floats($"b{l}", network.GetBiases(l), layer.OutChannels)] : [x, w];
        long zeros = circular ? 0 : pad;
        x = graph.Node("Conv", $"{p}.conv", inputs, $"{p}.ncw_out",
            new("kernel_shape", Ints: [layer.Kernel]), new("strides", Ints: [layer.Stride]), new("pads", Ints: [zeros, zeros]),
            new("dilations", Ints: [1]), new("group", Int: 1));
        x = graph.Node("Transpose", $"{p}.to_nwc", [x], $"{p}.nwc_out", new OnnxGraphWriter.Attribute("perm", Ints: [0, 2, 1]));
        graph.Node("Reshape", $"{p}.reshape_out", [x, graph.Int64s($"{p}.shape_out", -1, (long)layer.OutputSites * layer.OutChannels)], output);
    }
}
