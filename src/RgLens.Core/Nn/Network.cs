using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// A fully connected network with its weights (docs/theory.md, "Networks and objectives"): z_l = σ_l(W_l z_{l−1} + c_l),
/// l = 1 … L. Immutable: training (<see cref="Trainer"/>) returns new networks. Inference runs
/// on the float32 fast path; <see cref="Observe"/> exposes every layer. Weights follow the
/// PyTorch convention: W_l is n_l × n_{l−1}, row o holding the weights into unit o.
/// </summary>
public sealed class Network
{
    /// <summary>Rows per parallel chunk in <see cref="Observe"/> and <see cref="Forward"/>.</summary>
    private const int MinChunkRows = 256;

    /// <summary>
    /// Multiply-adds of one layer on one block of rows in <see cref="Propagate"/>, between two looks
    /// at the run's cancellation: 2³⁰, about 30 ms on one core of the development machine.
    /// </summary>
    private const long BlockMultiplyAdds = 1L << 30;

    /// <summary>Fewest rows per block: below this the products lose speed to repacking the weights.</summary>
    private const int MinBlockRows = 64;

    private readonly float[] _parameters;

    internal Network(NetworkSpec spec, float[] parameters)
    {
        Spec = spec;
        Layout = new ParameterLayout(spec);
        if (parameters.Length != Layout.Count)
            throw new ArgumentException($"the spec needs {Layout.Count} parameters; got {parameters.Length}.", nameof(parameters));
        _parameters = parameters;
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>L.</summary>
    public int Depth => Spec.Depth;

    /// <summary>Number of trainable parameters (weights and biases).</summary>
    public int ParameterCount => _parameters.Length;

    internal ParameterLayout Layout { get; }

    /// <summary>The flat parameter vector (see <see cref="ParameterLayout"/>); never mutated after construction.</summary>
    internal ReadOnlySpan<float> Parameters => _parameters;

    /// <summary>
    /// A network with freshly drawn weights: per layer l, W_l ~ N(0, s²) with s from
    /// <see cref="NetworkSpec.Init"/> (Xavier: s² = 2/(n_{l−1} + n_l); He: s² = 2/n_{l−1}), drawn in
    /// row-major order from the stream <c>("nn-init", l)</c> of <paramref name="seed"/>; biases 0.
    /// For a convolution the fans are in channels · k and out channels · k (as PyTorch counts them).
    /// </summary>
    public static Network Create(NetworkSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var layout = new ParameterLayout(spec);
        var p = new float[layout.Count];
        for (int l = 1; l <= spec.Depth; l++)
        {
            RunCancellation.ThrowIfRequested(); // a million draws per 1024 × 1024 layer: tens of ms each
            var layer = spec.Layers[l - 1];
            bool he = spec.Init == InitScheme.He || (spec.Init == InitScheme.Auto && layer.Activation == Activation.Relu);
            bool conv = layer.Kind == LayerKind.Conv1d;
            int fanIn = conv ? layer.InChannels * layer.Kernel : layout.Inputs(l), fanOut = conv ? layer.OutChannels * layer.Kernel : layout.Outputs(l);
            double std = he ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(2.0 / (fanIn + fanOut));
            var rng = RandomStream.For(seed, "nn-init", l);
            var w = layout.Weights(p, l);
            for (int i = 0; i < w.Length; i++) w[i] = (float)(std * rng.NextGaussian());
        }
        return new Network(spec, p);
    }

    /// <summary>A network with the given weights W_l (n_l × n_{l−1} row-major) and biases c_l (empty for layers without bias).</summary>
    /// <exception cref="ArgumentException">A count or length does not match the spec, or a value is not finite.</exception>
    public static Network FromWeights(NetworkSpec spec, IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);
        if (weights.Count != spec.Depth || biases.Count != spec.Depth)
            throw new ArgumentException($"the spec has {spec.Depth} layers; got {weights.Count} weight matrices and {biases.Count} bias vectors.");
        var layout = new ParameterLayout(spec);
        var p = new float[layout.Count];
        for (int l = 1; l <= spec.Depth; l++)
        {
            Place(weights[l - 1], layout.Weights(p, l), $"W{l}");
            Place(biases[l - 1], layout.Biases(p, l), $"b{l}");
        }
        return new Network(spec, p);

        static void Place(float[] source, Span<float> target, string name)
        {
            if (source is null || source.Length != target.Length)
                throw new ArgumentException($"{name} needs {target.Length} values; got {source?.Length ?? 0}.");
            foreach (float v in source)
                if (!float.IsFinite(v)) throw new ArgumentException($"{name} holds {v}; weights must be finite.");
            source.CopyTo(target);
        }
    }

    /// <summary>A copy of W_l (n_l × n_{l−1}, row-major) for <paramref name="layer"/> in 1 … L.</summary>
    public float[] GetWeights(int layer) => Layout.Weights(_parameters, CheckLayer(layer)).ToArray();

    /// <summary>A copy of c_l for <paramref name="layer"/> in 1 … L (empty when the layer has no bias).</summary>
    public float[] GetBiases(int layer) => Layout.Biases(_parameters, CheckLayer(layer)).ToArray();

    /// <summary>The output z_L for every row of <paramref name="input"/> (samples × n_0).</summary>
    /// <param name="input">The batch.</param>
    /// <param name="threads">Threads to split the rows over; the result does not depend on it.</param>
    /// <exception cref="OperationCanceledException">The run's token (<see cref="RunCancellation"/>) was cancelled; it is looked at before every layer of every block of rows.</exception>
    public SampleMatrix<float> Forward(SampleMatrix<float> input, int threads = 1) => Propagate(input, threads, keepAll: false).Output;

    /// <summary>
    /// Every layer's pre-activations and activations for every row of <paramref name="input"/>
    /// (samples × n_0): the raw material of the output systems (docs/theory.md, "Readings and estimators").
    /// </summary>
    /// <param name="input">The batch.</param>
    /// <param name="threads">Threads to split the rows over; the result does not depend on it.</param>
    /// <exception cref="OperationCanceledException">The run's token (<see cref="RunCancellation"/>) was cancelled.</exception>
    public NetworkObservation Observe(SampleMatrix<float> input, int threads = 1) => Propagate(input, threads, keepAll: true);

    /// <summary>Writes the network to <paramref name="path"/> (NPZ; see docs/network-format.md), atomically.</summary>
    public void Save(string path) => NetworkFile.Save(this, path);

    /// <summary>Reads a network written by <see cref="Save"/> (or by Python following docs/network-format.md).</summary>
    /// <exception cref="DataFormatException">Missing, corrupt, truncated or inconsistent file.</exception>
    public static Network Load(string path) => NetworkFile.Load(path);

    private int CheckLayer(int layer)
    {
        if (layer < 1 || layer > Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layers are 1 … {Depth}.");
        return layer;
    }

    /// <summary>
    /// Rows per block in <see cref="Propagate"/>: as many as keep the widest layer's product on a
    /// block near <see cref="BlockMultiplyAdds"/>, at least <see cref="MinBlockRows"/>, a multiple of 8
    /// (the register tile's rows).
    /// </summary>
    private static int BlockRows(NetworkSpec spec)
    {
        long widest = 1;
        for (int l = 1; l <= spec.Depth; l++)
        {
            var layer = spec.Layers[l - 1];
            long perRow = layer.Kind == LayerKind.Conv1d
                ? (long)layer.OutputSites * layer.OutChannels * layer.InChannels * layer.Kernel
                : (long)spec.Widths[l - 1] * layer.Width;
            widest = Math.Max(widest, perRow);
        }
        long rows = Math.Clamp(BlockMultiplyAdds / widest, MinBlockRows, int.MaxValue);
        return (int)(rows / 8 * 8);
    }

    private NetworkObservation Propagate(SampleMatrix<float> input, int threads, bool keepAll)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (input.Columns != Spec.InputWidth)
            throw new ArgumentException($"the network takes {Spec.InputWidth} inputs per sample; the batch has {input.Columns} columns.", nameof(input));
        int depth = Depth, rows = input.Rows;
        var kernels = LayerKernels.For(Spec);
        // The run's cancellation (docs/reliability.md, "Signals"): checked before every layer's
        // packing and before every layer of every block of rows, so a signal is answered within
        // one layer's product on one block.
        var cancellation = RunCancellation.Token;
        var packed = new float[depth + 1][];
        for (int l = 1; l <= depth; l++)
        {
            cancellation.ThrowIfCancellationRequested();
            packed[l] = new float[kernels[l].PackedLength];
            kernels[l].Pack(Layout.Weights(_parameters, l), 0, kernels[l].Rows, packed[l]);
        }
        var pre = new SampleMatrix<float>[depth + 1];
        var act = new SampleMatrix<float>[depth + 1];
        act[0] = input;
        pre[0] = input;
        for (int l = 1; l <= depth; l++)
        {
            bool keep = keepAll || l == depth;
            act[l] = new SampleMatrix<float>(keep ? rows : 0, Layout.Outputs(l));
            pre[l] = keepAll ? new SampleMatrix<float>(rows, Layout.Outputs(l)) : act[l];
        }
        int chunks = Math.Max(1, Math.Min(threads, (rows + MinChunkRows - 1) / MinChunkRows));
        int blockRows = BlockRows(Spec);
        int widest = Spec.Layers.Max(x => x.Width);
        var path = KernelPaths.Best;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation }, chunk =>
        {
            int r0 = (int)((long)rows * chunk / chunks), r1 = (int)((long)rows * (chunk + 1) / chunks);
            if (r1 == r0) return;
            int block = Math.Min(blockRows, r1 - r0);
            float[] ping = keepAll ? [] : new float[block * widest], pong = keepAll ? [] : new float[block * widest];
            // Every row's values are the same bits whatever block it is computed in (the kernels
            // accumulate each element in one fixed order), so blocks change nothing but when the
            // token is looked at.
            for (int b0 = r0; b0 < r1; b0 += block)
            {
                int n = Math.Min(block, r1 - b0);
                ReadOnlySpan<float> below = input.Data.AsSpan(b0 * input.Columns, n * input.Columns);
                for (int l = 1; l <= depth; l++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int units = Layout.Outputs(l);
                    bool keep = keepAll || l == depth;
                    float[] zArray = keep ? pre[l].Data : l % 2 == 0 ? ping : pong;
                    int zOffset = keep ? b0 * units : 0;
                    var z = zArray.AsSpan(zOffset, n * units);
                    var bias = Layout.Biases(_parameters, l);
                    int scratchLength = kernels[l].ScratchLength(n);
                    kernels[l].Forward(n, below, packed[l], bias, z, scratchLength > 0 ? new float[scratchLength] : [], path);
                    var a = keepAll ? act[l].Data.AsSpan(zOffset, n * units) : z;
                    if (keepAll) z.CopyTo(a);
                    ActivationKernels.Apply(Spec.Layers[l - 1].Activation, a, path);
                    below = a;
                }
            }
        });
        return new NetworkObservation(pre, act, Spec.FeatureLayer);
    }
}
