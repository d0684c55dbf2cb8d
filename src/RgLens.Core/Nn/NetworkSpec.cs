namespace RgLens.Nn;

/// <summary>
/// The architecture of a fully connected network (docs/theory.md, "Networks and objectives"): input width n_0, then layers
/// l = 1 … L with widths n_l, activations σ_l and optional biases c_l; which layer is the
/// feature layer; the objective it is built for; and how its weights are initialized. Build one
/// with <see cref="Autoencoder"/> or <see cref="Supervised"/>, or list the layers yourself.
/// Immutable; equality compares every layer.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>Creates the spec and checks it (see <see cref="Validate"/>).</summary>
    /// <param name="inputWidth">n_0, the number of input units (sites).</param>
    /// <param name="layers">Layers 1 … L.</param>
    /// <param name="featureLayer">Index (1 … L) of the feature layer whose output system theory.md studies.</param>
    /// <param name="objective">The objective the network is built for.</param>
    /// <param name="init">Initialization scheme.</param>
    public NetworkSpec(int inputWidth, IReadOnlyList<LayerSpec> layers, int featureLayer, Objective objective, InitScheme init = InitScheme.Auto)
    {
        ArgumentNullException.ThrowIfNull(layers);
        InputWidth = inputWidth;
        Layers = layers.ToArray();
        FeatureLayer = featureLayer;
        Objective = objective;
        Init = init;
        Validate();
    }

    /// <summary>n_0.</summary>
    public int InputWidth { get; }

    /// <summary>Layers 1 … L (index 0 holds layer 1).</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The feature layer (1 … L): the bottleneck of an autoencoder, the last encoder layer of a supervised network.</summary>
    public int FeatureLayer { get; }

    /// <summary>The objective the network is built for.</summary>
    public Objective Objective { get; }

    /// <summary>The initialization scheme.</summary>
    public InitScheme Init { get; }

    /// <summary>L, the number of layers with weights.</summary>
    public int Depth => Layers.Count;

    /// <summary>n_L.</summary>
    public int OutputWidth => Layers[^1].Width;

    /// <summary>n_0, n_1, …, n_L.</summary>
    public IReadOnlyList<int> Widths => [InputWidth, .. Layers.Select(l => l.Width)];

    /// <summary>
    /// The autoencoder of docs/theory.md ("Networks and objectives"): encoder widths n_0 → … → n_k (e.g. 64, 32, 16), then the
    /// mirrored decoder back to n_0 (64-32-16-32-64). Hidden layers use <paramref name="hidden"/>;
    /// the output layer uses <paramref name="output"/> (identity for MSE, sigmoid for binary
    /// cross-entropy on 0/1 data). The feature layer is the bottleneck k.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two encoder widths, or a width below 1.</exception>
    public static NetworkSpec Autoencoder(IReadOnlyList<int> encoderWidths, Activation hidden = Activation.Tanh,
        Activation output = Activation.Identity, bool bias = true, InitScheme init = InitScheme.Auto)
    {
        RequireEncoder(encoderWidths);
        int k = encoderWidths.Count - 1;
        var layers = new List<LayerSpec>();
        for (int l = 1; l <= k; l++) layers.Add(new LayerSpec(encoderWidths[l], hidden, bias));
        for (int l = k - 1; l >= 0; l--) layers.Add(new LayerSpec(encoderWidths[l], l == 0 ? output : hidden, bias));
        return new NetworkSpec(encoderWidths[0], layers, k, Objective.Autoencoder, init);
    }

    /// <summary>
    /// The supervised network of docs/theory.md ("Networks and objectives"): encoder widths n_0 → … → n_k with
    /// <paramref name="hidden"/> activations, then a linear head of <paramref name="targetWidth"/>
    /// units regressing θ0. The feature layer is the last encoder layer k.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two encoder widths, or a width below 1.</exception>
    public static NetworkSpec Supervised(IReadOnlyList<int> encoderWidths, int targetWidth, Activation hidden = Activation.Tanh,
        bool bias = true, InitScheme init = InitScheme.Auto)
    {
        RequireEncoder(encoderWidths);
        int k = encoderWidths.Count - 1;
        var layers = new List<LayerSpec>();
        for (int l = 1; l <= k; l++) layers.Add(new LayerSpec(encoderWidths[l], hidden, bias));
        layers.Add(new LayerSpec(targetWidth, Activation.Identity, bias));
        return new NetworkSpec(encoderWidths[0], layers, k, Objective.Supervised, init);
    }

    /// <summary>
    /// The convolutional pyramid: a chain of <paramref name="sites"/>[0] sites (one channel) is
    /// convolved down to <paramref name="sites"/>[1], … by stride-(sites[l−1]/sites[l]) Conv1d layers of
    /// <paramref name="channels"/> channels, kernel <paramref name="kernel"/> and padding
    /// <paramref name="padding"/> (e.g. 64 → 32 → 16 sites). An autoencoder mirrors it with
    /// nearest upsampling and stride-1 convolutions back to one channel on sites[0] (output
    /// activation <paramref name="output"/>); a supervised network puts a dense linear head of
    /// <paramref name="targetWidth"/> units on the last encoder layer. The feature layer is the last
    /// encoder layer: channels × sites[k] values, site-major.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two site counts, a count that does not divide the one before, or a bad convolution (kernel, channels).</exception>
    public static NetworkSpec ConvPyramid(IReadOnlyList<int> sites, int channels, int kernel, Padding padding, Objective objective,
        int targetWidth = 0, Activation hidden = Activation.Tanh, Activation output = Activation.Identity, bool bias = true, InitScheme init = InitScheme.Auto)
    {
        RequireEncoder(sites);
        int k = sites.Count - 1;
        var layers = new List<LayerSpec>();
        for (int l = 1; l <= k; l++)
        {
            if (sites[l - 1] % sites[l] != 0)
                throw new ArgumentException($"a convolutional pyramid needs each site count to divide the one before; {sites[l]} does not divide {sites[l - 1]}.", nameof(sites));
            layers.Add(LayerSpec.Conv1d(l == 1 ? 1 : channels, channels, sites[l - 1], kernel, sites[l - 1] / sites[l], padding, hidden, bias));
        }
        if (objective == Objective.Supervised)
        {
            if (targetWidth < 1) throw new ArgumentException($"a supervised network needs >= 1 targets; got {targetWidth}.", nameof(targetWidth));
            layers.Add(new LayerSpec(targetWidth, Activation.Identity, bias));
            return new NetworkSpec(sites[0], layers, k, objective, init);
        }
        for (int l = k; l >= 1; l--)
            layers.Add(LayerSpec.Conv1d(channels, l == 1 ? 1 : channels, sites[l], kernel, 1, padding, l == 1 ? output : hidden, bias,
                upsample: sites[l - 1] / sites[l]));
        return new NetworkSpec(sites[0], layers, k, objective, init);
    }

    /// <summary>Checks widths ≥ 1, at least one layer, a feature layer inside 1 … L, and an autoencoder's output width n_L = n_0.</summary>
    /// <exception cref="ArgumentException">What is wrong, in one line.</exception>
    public void Validate()
    {
        if (InputWidth < 1) throw new ArgumentException($"the input width must be >= 1; got {InputWidth}.");
        if (Layers.Count == 0) throw new ArgumentException("a network needs at least one layer.");
        for (int l = 0; l < Layers.Count; l++)
        {
            if (Layers[l] is null) throw new ArgumentException($"layer {l + 1} is missing.");
            if (Layers[l].Width < 1) throw new ArgumentException($"layer {l + 1} has width {Layers[l].Width}; widths must be >= 1.");
            if (!Enum.IsDefined(Layers[l].Activation)) throw new ArgumentException($"layer {l + 1} has an unknown activation ({(int)Layers[l].Activation}).");
            if (Layers[l].Kind != LayerKind.Dense) CheckConv(l);
        }
        if (FeatureLayer < 1 || FeatureLayer > Layers.Count)
            throw new ArgumentException($"the feature layer must be one of 1 … {Layers.Count}; got {FeatureLayer}.");
        if (!Enum.IsDefined(Objective)) throw new ArgumentException($"unknown objective ({(int)Objective}).");
        if (!Enum.IsDefined(Init)) throw new ArgumentException($"unknown initialization scheme ({(int)Init}).");
        if (Objective == Objective.Autoencoder && OutputWidth != InputWidth)
            throw new ArgumentException($"an autoencoder reconstructs its input: output width {OutputWidth} must equal input width {InputWidth}.");
    }

    private void CheckConv(int l)
    {
        var c = Layers[l];
        try
        {
            c.ValidateConv();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"layer {l + 1}: {e.Message}");
        }
        int below = l == 0 ? InputWidth : Layers[l - 1].Width;
        if ((long)c.InChannels * c.InputSites != below)
            throw new ArgumentException($"layer {l + 1} convolves {c.InChannels} channels x {c.InputSites} sites = {(long)c.InChannels * c.InputSites} inputs, but the layer below has width {below}.");
        if (c.Width != c.OutChannels * c.OutputSites)
            throw new ArgumentException($"layer {l + 1} has width {c.Width}; its {c.OutChannels} channels x {c.OutputSites} sites make {c.OutChannels * c.OutputSites}.");
    }

    /// <summary>A one-line description, e.g. <c>64-32(tanh)-16(tanh)-32(tanh)-64(identity), autoencoder</c>.</summary>
    public string Describe() =>
        $"{InputWidth}-{string.Join('-', Layers.Select(l => $"{l.Width}({(l.Kind == LayerKind.Conv1d ? $"conv {l.OutChannels}ch k{l.Kernel} s{l.Stride}{(l.Upsample > 1 ? $" up{l.Upsample}" : "")} {NnNames.Name(l.Padding)}, " : "")}{NnNames.Name(l.Activation)}{(l.Bias ? "" : ", no bias")})"))}, {NnNames.Name(Objective)}, feature layer {FeatureLayer}";

    /// <inheritdoc />
    public bool Equals(NetworkSpec? other) =>
        other is not null && InputWidth == other.InputWidth && FeatureLayer == other.FeatureLayer && Objective == other.Objective
        && Init == other.Init && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(InputWidth);
        h.Add(FeatureLayer);
        h.Add(Objective);
        h.Add(Init);
        foreach (var l in Layers) h.Add(l);
        return h.ToHashCode();
    }

    private static void RequireEncoder(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2) throw new ArgumentException($"give at least two encoder widths (input and feature layer); got {widths.Count}.", nameof(widths));
        foreach (int w in widths)
            if (w < 1) throw new ArgumentException($"widths must be >= 1; got {w}.", nameof(widths));
    }
}
