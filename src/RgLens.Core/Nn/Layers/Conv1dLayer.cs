using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// A 1-D convolution along the chain, as PyTorch's <c>Conv1d(in, out, k, stride=s,
/// padding=(k−1)/2, padding_mode="circular" | "zeros")</c> applied after an optional
/// nearest-neighbour <c>Upsample(scale_factor=u)</c>. Weights W[o, c, t] in PyTorch's (out, in, k)
/// layout; activations site-major (unit <c>site · channels + channel</c>).
/// <para>
/// The fast path is im2col + GEMM: each output site j of each sample becomes one row of
/// k · in values (tap-major: column t · in + c) gathered from the input, so the whole shard is one
/// product with the packed weights (k · in × out). The gathered rows stay in the scratch for the
/// weight gradient (colᵀ δ); the input gradient is δ W (a second packed copy, out × k · in)
/// scattered back onto the sites in a fixed order.
/// </para>
/// </summary>
internal sealed class Conv1dLayer : ILayerKernel
{
    private readonly int _in, _out, _k, _inSites, _outSites, _taps;
    /// <summary>Input site read by tap t of output site j, at [j · k + t]; −1 for zero padding.</summary>
    private readonly int[] _source;

    public Conv1dLayer(LayerSpec spec)
    {
        _in = spec.InChannels;
        _out = spec.OutChannels;
        _k = spec.Kernel;
        _inSites = spec.InputSites;
        _outSites = spec.OutputSites;
        _taps = _k * _in;
        int upsampled = spec.UpsampledSites, pad = (_k - 1) / 2;
        _source = new int[_outSites * _k];
        for (int j = 0; j < _outSites; j++)
            for (int t = 0; t < _k; t++)
            {
                int position = j * spec.Stride + t - pad;
                if (spec.Padding == Padding.Circular) position = ((position % upsampled) + upsampled) % upsampled;
                _source[j * _k + t] = position < 0 || position >= upsampled ? -1 : position / spec.Upsample;
            }
    }

    public int Inputs => _in * _inSites;

    public int Outputs => _out * _outSites;

    public int Rows => _out;

    public int Columns => _taps;

    public int PackedLength => 2 * _taps * _out;

    /// <summary>The gathered rows (n · sites × k · in), then the tap-major weight gradient (out × k · in).</summary>
    public int ScratchLength(int samples) => checked(samples * _outSites * _taps + _out * _taps);

    public void Pack(ReadOnlySpan<float> weights, int firstRow, int endRow, Span<float> packed)
    {
        var forward = packed[..(_taps * _out)];
        var backward = packed[(_taps * _out)..];
        for (int o = firstRow; o < endRow; o++)
            for (int c = 0; c < _in; c++)
                for (int t = 0; t < _k; t++)
                {
                    float w = weights[o * _taps + c * _k + t];
                    forward[(t * _in + c) * _out + o] = w;
                    backward[o * _taps + t * _in + c] = w;
                }
    }

    public void Forward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        Gather(n, input, col);
        Gemm.Multiply(rows, _out, _taps, col, _taps, false, packed[..(_taps * _out)], _out, z, _out,
            bias.IsEmpty ? GemmInit.Zero : GemmInit.Bias, bias, path);
    }

    public void WeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        var tapMajor = scratch.Slice(rows * _taps, _out * _taps);
        Gemm.Multiply(_out, _taps, rows, delta, _out, true, col, _taps, tapMajor, _taps, GemmInit.Zero, default, path);
        for (int o = 0; o < _out; o++)
            for (int t = 0; t < _k; t++)
                for (int c = 0; c < _in; c++)
                    weightGradient[o * _taps + c * _k + t] = tapMajor[o * _taps + t * _in + c];
        if (!biasGradient.IsEmpty) MatrixKernels.ColumnSums(delta, rows, _out, biasGradient);
    }

    public void InputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        int rows = n * _outSites;
        var dcol = scratch[..(rows * _taps)];
        Gemm.Multiply(rows, _taps, _out, delta, _out, false, packed[(_taps * _out)..], _taps, dcol, _taps, GemmInit.Zero, default, path);
        Scatter(n, dcol, down[..(n * Inputs)]);
    }

    public void ReferenceForward(ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, ReadOnlySpan<double> input, Span<double> z)
    {
        for (int j = 0; j < _outSites; j++)
            for (int o = 0; o < _out; o++)
            {
                double s = bias.IsEmpty ? 0 : bias[o];
                for (int c = 0; c < _in; c++)
                    for (int t = 0; t < _k; t++)
                    {
                        int site = _source[j * _k + t];
                        if (site >= 0) s += weights[o * _taps + c * _k + t] * input[site * _in + c];
                    }
                z[j * _out + o] = s;
            }
    }

    public void ReferenceBackward(ReadOnlySpan<double> weights, ReadOnlySpan<double> input, ReadOnlySpan<double> delta,
        Span<double> weightGradient, Span<double> biasGradient, Span<double> down)
    {
        down.Clear();
        for (int j = 0; j < _outSites; j++)
            for (int o = 0; o < _out; o++)
            {
                double d = delta[j * _out + o];
                if (!biasGradient.IsEmpty) biasGradient[o] += d;
                for (int c = 0; c < _in; c++)
                    for (int t = 0; t < _k; t++)
                    {
                        int site = _source[j * _k + t];
                        if (site < 0) continue;
                        weightGradient[o * _taps + c * _k + t] += d * input[site * _in + c];
                        if (!down.IsEmpty) down[site * _in + c] += weights[o * _taps + c * _k + t] * d;
                    }
            }
    }

    /// <summary>im2col: row (b · sites + j), column (t · in + c) = input of sample b at the site tap t of j reads, channel c.</summary>
    private void Gather(int n, ReadOnlySpan<float> input, Span<float> col)
    {
        int sampleIn = Inputs, rowIndex = 0;
        for (int b = 0; b < n; b++)
        {
            var sample = input.Slice(b * sampleIn, sampleIn);
            for (int j = 0; j < _outSites; j++, rowIndex++)
            {
                var row = col.Slice(rowIndex * _taps, _taps);
                for (int t = 0; t < _k; t++)
                {
                    int site = _source[j * _k + t];
                    var target = row.Slice(t * _in, _in);
                    if (site < 0) target.Clear();
                    else if (_in == 1) target[0] = sample[site];
                    else sample.Slice(site * _in, _in).CopyTo(target);
                }
            }
        }
    }

    /// <summary>col2im: adds each gathered row's gradient back onto the input sites it was read from, in row order.</summary>
    private void Scatter(int n, ReadOnlySpan<float> dcol, Span<float> down)
    {
        down.Clear();
        int sampleIn = Inputs, rowIndex = 0;
        for (int b = 0; b < n; b++)
        {
            var sample = down.Slice(b * sampleIn, sampleIn);
            for (int j = 0; j < _outSites; j++, rowIndex++)
            {
                var row = dcol.Slice(rowIndex * _taps, _taps);
                for (int t = 0; t < _k; t++)
                {
                    int site = _source[j * _k + t];
                    if (site < 0) continue;
                    if (_in == 1) sample[site] += row[t];
                    else System.Numerics.Tensors.TensorPrimitives.Add(sample.Slice(site * _in, _in), row.Slice(t * _in, _in), sample.Slice(site * _in, _in));
                }
            }
        }
    }
}
