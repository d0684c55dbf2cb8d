using System.Numerics.Tensors;
using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The float32 training step: forward, loss, back-propagation and optimizer update of one
/// mini-batch, allocation-free. With T threads the batch is cut into T fixed consecutive shares;
/// each thread propagates its share into its own gradient (phase 1); then each thread owns a
/// fixed slice of every layer's rows, sums the T gradients there in shard order, updates the
/// parameters and refreshes the packed weights the next forward pass reads (each layer's <see cref="ILayerKernel"/>) (phase 2). The
/// same thread count therefore gives the same bits on every run.
/// </summary>
internal sealed class StepEngine : IDisposable
{
    private readonly NetworkSpec _spec;
    private readonly ParameterLayout _layout;
    private readonly Optimizer? _optimizer;
    private readonly Loss _loss;
    private readonly KernelPath _path;
    private readonly WorkerGroup _group;
    private readonly ShardWorkspace[] _shards;
    private readonly ILayerKernel[] _kernels;
    private readonly float[][] _packed;
    private readonly Action<int> _forwardBackward, _forwardOnly, _update, _countAllocations;
    private readonly long[] _allocated;
    private SampleMatrix<float>? _x, _t;
    private int[] _rows = [];
    private int _offset, _count;
    private float _learningRate;

    public StepEngine(NetworkSpec spec, float[] parameters, Optimizer? optimizer, Loss loss, int threads, int maxBatch, KernelPath path)
    {
        _spec = spec;
        _layout = new ParameterLayout(spec);
        Parameters = parameters;
        _optimizer = optimizer;
        _loss = loss;
        _path = path;
        _group = new WorkerGroup(threads);
        int capacity = (maxBatch + threads - 1) / threads;
        bool ownTargets = spec.Objective != Objective.Autoencoder;
        _kernels = LayerKernels.For(spec);
        _shards = new ShardWorkspace[threads];
        for (int s = 0; s < threads; s++) _shards[s] = new ShardWorkspace(_layout, _kernels, capacity, ownTargets, loss == Loss.BinaryCrossEntropy);
        MaxBatch = maxBatch;
        _packed = new float[spec.Depth + 1][];
        for (int l = 1; l <= spec.Depth; l++)
        {
            _packed[l] = new float[_kernels[l].PackedLength];
            _kernels[l].Pack(_layout.Weights(parameters, l), 0, _kernels[l].Rows, _packed[l]);
        }
        _forwardBackward = s => Propagate(s, gradient: true);
        _forwardOnly = s => Propagate(s, gradient: false);
        _update = Update;
        _allocated = new long[threads];
        _countAllocations = s => _allocated[s] = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>The live parameters (updated in place by <see cref="Step"/>).</summary>
    public float[] Parameters { get; }

    /// <summary>Largest batch a call may pass.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// One optimizer step on rows[offset … offset + count) of x (targets t; for an autoencoder t is x);
    /// returns the batch's mean loss before the update.
    /// </summary>
    public double Step(SampleMatrix<float> x, SampleMatrix<float> t, int[] rows, int offset, int count, float learningRate)
    {
        if (_optimizer is null) throw new InvalidOperationException("this engine was built without an optimizer.");
        Bind(x, t, rows, offset, count);
        _group.Run(_forwardBackward);
        double loss = MeanLoss(count);
        _optimizer.Steps++;
        _learningRate = learningRate;
        _group.Run(_update);
        return loss;
    }

    /// <summary>The mean loss over rows[offset … offset + count) without updating anything (chunked by <see cref="MaxBatch"/>).</summary>
    public double EvaluateLoss(SampleMatrix<float> x, SampleMatrix<float> t, int[] rows, int offset, int count)
    {
        double sum = 0;
        for (int done = 0; done < count; done += MaxBatch)
        {
            int chunk = Math.Min(MaxBatch, count - done);
            Bind(x, t, rows, offset + done, chunk);
            _group.Run(_forwardOnly);
            foreach (var w in _shards) sum += w.LossSum;
        }
        return sum / ((double)count * _spec.OutputWidth);
    }

    /// <summary>The mean loss of one batch and its gradient with respect to every parameter (for tests and gradient checks).</summary>
    public double Gradient(SampleMatrix<float> x, SampleMatrix<float> t, int[] rows, int offset, int count, Span<float> gradient)
    {
        Bind(x, t, rows, offset, count);
        _group.Run(_forwardBackward);
        _shards[0].Gradient.CopyTo(gradient);
        for (int s = 1; s < _shards.Length; s++) TensorPrimitives.Add(gradient, _shards[s].Gradient, gradient);
        return MeanLoss(count);
    }

    /// <summary>Bytes allocated so far by the engine's threads (the caller's and the workers'); for the zero-allocation test.</summary>
    internal long AllocatedBytes()
    {
        _group.Run(_countAllocations);
        long sum = 0;
        foreach (long a in _allocated) sum += a;
        return sum;
    }

    /// <inheritdoc />
    public void Dispose() => _group.Dispose();

    private void Bind(SampleMatrix<float> x, SampleMatrix<float> t, int[] rows, int offset, int count)
    {
        if (count < 1 || count > MaxBatch) throw new ArgumentOutOfRangeException(nameof(count), count, $"a batch holds 1 … {MaxBatch} rows.");
        _x = x;
        _t = t;
        _rows = rows;
        _offset = offset;
        _count = count;
    }

    private double MeanLoss(int count)
    {
        double sum = 0;
        foreach (var w in _shards) sum += w.LossSum;
        return sum / ((double)count * _spec.OutputWidth);
    }

    /// <summary>Phase 1 for shard s: gather, forward, loss and (optionally) back-propagation.</summary>
    private void Propagate(int s, bool gradient)
    {
        var w = _shards[s];
        int threads = _shards.Length;
        int r0 = (int)((long)_count * s / threads), n = (int)((long)_count * (s + 1) / threads) - r0;
        w.Rows = n;
        w.LossSum = 0;
        if (n == 0)
        {
            if (gradient) Array.Clear(w.Gradient);
            return;
        }
        Gather(w, r0, n);
        Forward(w, n);
        var target = _spec.Objective == Objective.Autoencoder ? w.Inputs.AsSpan(0, n * _spec.InputWidth) : w.Targets.AsSpan(0, n * _spec.OutputWidth);
        OutputGradient(w, n, target);
        if (gradient) Backward(w, n);
    }

    private void Gather(ShardWorkspace w, int r0, int n)
    {
        var x = _x!;
        for (int i = 0; i < n; i++) x.Row(_rows[_offset + r0 + i]).CopyTo(w.Inputs.AsSpan(i * x.Columns, x.Columns));
        if (w.Targets.Length > 0)
        {
            var t = _t!;
            for (int i = 0; i < n; i++) t.Row(_rows[_offset + r0 + i]).CopyTo(w.Targets.AsSpan(i * t.Columns, t.Columns));
        }
    }

    private void Forward(ShardWorkspace w, int n)
    {
        int depth = _spec.Depth;
        for (int l = 1; l <= depth; l++)
        {
            int units = _layout.Outputs(l);
            var bias = _layout.Biases(Parameters, l);
            bool logits = l == depth && w.Logits.Length > 0;
            var z = (logits ? w.Logits : w.Activations[l]).AsSpan(0, n * units);
            _kernels[l].Forward(n, w.Activations[l - 1].AsSpan(0, n * _layout.Inputs(l)), _packed[l], bias, z, w.LayerScratch[l], _path);
            var a = w.Activations[l].AsSpan(0, n * units);
            if (logits) z.CopyTo(a);
            ActivationKernels.Apply(_spec.Layers[l - 1].Activation, a, _path);
        }
    }

    /// <summary>The loss sum of the shard and ∂loss/∂(output pre-activation) into the last delta, scaled by 1/(B·n_L) of the whole batch.</summary>
    private void OutputGradient(ShardWorkspace w, int n, ReadOnlySpan<float> target)
    {
        int depth = _spec.Depth, units = _spec.OutputWidth;
        var a = w.Activations[depth].AsSpan(0, n * units);
        var g = w.Deltas[depth].AsSpan(0, n * units);
        float scale = (float)(1.0 / ((double)_count * units));
        TensorPrimitives.Subtract(a, target, g);
        if (_loss == Loss.MeanSquaredError)
        {
            w.LossSum = TensorPrimitives.SumOfSquares<float>(g);
            TensorPrimitives.Multiply(g, 2 * scale, g);
            ActivationKernels.Backward(_spec.Layers[depth - 1].Activation, a, g, _path);
            return;
        }
        // Binary cross-entropy from the logits z: Σ softplus(z) − t·z, softplus(z) = max(z, 0) + ln(1 + e^{−|z|});
        // the gradient with respect to z is (σ(z) − t)/(B·n_L), already in g up to the scale.
        var z = w.Logits.AsSpan(0, n * units);
        TensorPrimitives.Multiply(g, scale, g);
        w.LossSum = SoftplusSum(z, w.Scratch.AsSpan(0, n * units)) - TensorPrimitives.Dot(target, z);
    }

    private static double SoftplusSum(ReadOnlySpan<float> z, Span<float> scratch)
    {
        TensorPrimitives.Abs(z, scratch);
        TensorPrimitives.Negate(scratch, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        TensorPrimitives.LogP1(scratch, scratch);
        double sum = TensorPrimitives.Sum<float>(scratch);
        TensorPrimitives.Max(z, 0f, scratch);
        return sum + TensorPrimitives.Sum<float>(scratch);
    }

    private void Backward(ShardWorkspace w, int n)
    {
        for (int l = _spec.Depth; l >= 1; l--)
        {
            int inputs = _layout.Inputs(l), units = _layout.Outputs(l);
            var delta = w.Deltas[l].AsSpan(0, n * units);
            var below = w.Activations[l - 1].AsSpan(0, n * inputs);
            var kernel = _kernels[l];
            kernel.WeightGradient(n, delta, below, w.LayerScratch[l], _layout.Weights(w.Gradient, l), _layout.Biases(w.Gradient, l), _path);
            if (l == 1) break;
            var down = w.Deltas[l - 1].AsSpan(0, n * inputs);
            kernel.InputGradient(n, delta, _layout.Weights(Parameters, l), _packed[l], w.LayerScratch[l], down, _path);
            ActivationKernels.Backward(_spec.Layers[l - 2].Activation, below, down, _path);
        }
    }

    /// <summary>Phase 2 for thread s: its rows of every layer — sum the shard gradients, update, repack.</summary>
    private void Update(int s)
    {
        int threads = _shards.Length;
        var total = _shards[0].Gradient;
        for (int l = 1; l <= _spec.Depth; l++)
        {
            int columns = _layout.WeightColumns(l), rows = _layout.WeightRows(l);
            int o0 = (int)((long)rows * s / threads), o1 = (int)((long)rows * (s + 1) / threads);
            if (o0 == o1) continue;
            int wStart = _layout.WeightOffset(l) + o0 * columns, wLength = (o1 - o0) * columns;
            bool bias = _layout.BiasCount(l) > 0;
            int bStart = _layout.BiasOffset(l) + o0, bLength = bias ? o1 - o0 : 0;
            for (int other = 1; other < threads; other++)
            {
                var g = _shards[other].Gradient;
                TensorPrimitives.Add(total.AsSpan(wStart, wLength), g.AsSpan(wStart, wLength), total.AsSpan(wStart, wLength));
                if (bias) TensorPrimitives.Add(total.AsSpan(bStart, bLength), g.AsSpan(bStart, bLength), total.AsSpan(bStart, bLength));
            }
            _optimizer!.Update(Parameters, total, wStart, wLength, _learningRate, decay: true);
            _optimizer.Update(Parameters, total, bStart, bLength, _learningRate, decay: false);
            _kernels[l].Pack(_layout.Weights(Parameters, l), o0, o1, _packed[l]);
        }
    }
}
