using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// A 1-D convolution along the chain, as PyTorch's <c>Conv1d(in, out, k, stride=s,
/// padding=(k−1)/2, padding_mode="circular" | "zeros")</c> applied after an optional
/// nearest-neighbour <c>Upsample(scale_factor=u)</c>. Weights W[o, c, t] in PyTorch's (out, in, k)
/// layout; activations site-major (unit <c>site · channels + channel</c>).
/// <para>
/// The fast path is im2col + GEMM, transposed so that the long dimension (samples × sites) runs
/// along the vector lanes even when there are few channels: the shard's inputs are gathered into
/// a (k · in) × (n · sites) matrix (row t · in + c holds tap t, channel c of every output site),
/// the pre-activations are zᵀ = W · col (W tap-major, out × k · in) and then transposed to the
/// site-major layout. The gathered matrix stays in the scratch for the weight gradient
/// (col · δ); the input gradient is Wᵀ · δᵀ (a second packed copy, k · in × out) scattered back
/// onto the sites in a fixed order. Layers with many output channels (≥ 16) use the untransposed
/// form instead: one gathered row of k · in values per output site, z = col · W (k · in × out),
/// weight gradient δᵀ · col, input gradient δ · W (out × k · in).
/// </para>
/// </summary>
internal sealed unsafe class Conv1dLayer : ILayerKernel
{
    /// <summary>
    /// From this many output channels on, the site-major product (rows = sites, columns = out
    /// channels) fills the vector lanes; below it the transposed product does (measured on the
    /// reference workload: a 1- or 8-channel layer runs 2–3× faster transposed, a 16- or 32-channel
    /// layer about 1.5× faster site-major).
    /// </summary>
    private const int SiteMajorChannels = 16;

    private readonly int _in, _out, _k, _inSites, _outSites, _taps;
    private readonly bool _siteMajor;
    /// <summary>Whether the transposed gather may use AVX2 gathers (no zero-padding holes in the offsets).</summary>
    private readonly bool _gather;
    /// <summary>Input site read by tap t of output site j, at [j · k + t]; −1 for zero padding.</summary>
    private readonly int[] _source;
    /// <summary>The same per tap: [t · sites + j] = input site · in channels, or −1.</summary>
    private readonly int[] _offsetByTap;

    public Conv1dLayer(LayerSpec spec)
    {
        _in = spec.InChannels;
        _out = spec.OutChannels;
        _k = spec.Kernel;
        _inSites = spec.InputSites;
        _outSites = spec.OutputSites;
        _taps = _k * _in;
        _siteMajor = _out >= SiteMajorChannels;
        int upsampled = spec.UpsampledSites, pad = (_k - 1) / 2;
        _source = new int[_outSites * _k];
        for (int j = 0; j < _outSites; j++)
            for (int t = 0; t < _k; t++)
            {
                int position = j * spec.Stride + t - pad;
                if (spec.Padding == Padding.Circular) position = ((position % upsampled) + upsampled) % upsampled;
                _source[j * _k + t] = position < 0 || position >= upsampled ? -1 : position / spec.Upsample;
            }
        _gather = Avx2.IsSupported && spec.Padding == Padding.Circular;
        _offsetByTap = new int[_outSites * _k];
        for (int t = 0; t < _k; t++)
            for (int j = 0; j < _outSites; j++)
                _offsetByTap[t * _outSites + j] = _source[j * _k + t] < 0 ? -1 : _source[j * _k + t] * _in;
    }

    public int Inputs => _in * _inSites;

    public int Outputs => _out * _outSites;

    public int Rows => _out;

    public int Columns => _taps;

    public int PackedLength => 2 * _taps * _out;

    /// <summary>The gathered inputs (k · in × n · sites), room for one out × n · sites matrix, and the tap-major weight gradient (k · in × out).</summary>
    public int ScratchLength(int samples) => checked(samples * _outSites * (_taps + _out) + _out * _taps);

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
        if (_siteMajor) RowForward(n, input, packed, bias, z, scratch, path);
        else ColumnForward(n, input, packed, bias, z, scratch, path);
    }

    private void ColumnForward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        var zt = scratch.Slice(rows * _taps, rows * _out);
        ColumnGather(n, input, col, rows);
        // zᵀ (out × rows) = W (out × k·in, tap-major) · colᵀ: the long dimension runs along the vectors.
        Gemm.Multiply(_out, rows, _taps, packed[(_taps * _out)..], _taps, false, col, rows, zt, rows, GemmInit.Zero, default, path);
        if (!bias.IsEmpty)
            for (int o = 0; o < _out; o++) TensorPrimitives.Add(zt.Slice(o * rows, rows), bias[o], zt.Slice(o * rows, rows));
        if (_out == 1) zt.CopyTo(z);
        else MatrixKernels.Transpose(zt, _out, rows, z[..(rows * _out)]);
    }

    public void WeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path)
    {
        if (_siteMajor) RowWeightGradient(n, delta, input, scratch, weightGradient, biasGradient, path);
        else ColumnWeightGradient(n, delta, input, scratch, weightGradient, biasGradient, path);
    }

    private void ColumnWeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        var tapMajor = scratch.Slice(rows * (_taps + _out), _out * _taps);
        // (k·in × out) = colᵀ-as-stored (k·in × rows) · δ (rows × out).
        Gemm.Multiply(_taps, _out, rows, col, rows, false, delta, _out, tapMajor, _out, GemmInit.Zero, default, path);
        for (int o = 0; o < _out; o++)
            for (int t = 0; t < _k; t++)
                for (int c = 0; c < _in; c++)
                    weightGradient[o * _taps + c * _k + t] = tapMajor[(t * _in + c) * _out + o];
        if (!biasGradient.IsEmpty) MatrixKernels.ColumnSums(delta, rows, _out, biasGradient);
    }

    public void InputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        if (_siteMajor) RowInputGradient(n, delta, weights, packed, scratch, down, path);
        else ColumnInputGradient(n, delta, weights, packed, scratch, down, path);
    }

    private void ColumnInputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        int rows = n * _outSites;
        var dcol = scratch[..(rows * _taps)];
        var deltaT = scratch.Slice(rows * _taps, rows * _out);
        if (_out == 1) delta[..rows].CopyTo(deltaT);
        else MatrixKernels.Transpose(delta[..(rows * _out)], rows, _out, deltaT);
        // dcolᵀ (k·in × rows) = W (k·in × out, forward-packed) · δᵀ (out × rows).
        Gemm.Multiply(_taps, rows, _out, packed[..(_taps * _out)], _out, false, deltaT, rows, dcol, rows, GemmInit.Zero, default, path);
        ColumnScatter(n, dcol, down[..(n * Inputs)], rows);
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

    /// <summary>im2col, transposed: row (t · in + c), column (b · sites + j) = input of sample b at the site tap t of j reads, channel c.</summary>
    private unsafe void ColumnGather(int n, ReadOnlySpan<float> input, Span<float> col, int rows)
    {
        int sampleIn = Inputs;
        fixed (float* pin = input, pcol = col)
        fixed (int* pofs = _offsetByTap)
            for (int t = 0; t < _k; t++)
                for (int c = 0; c < _in; c++)
                {
                    float* row = pcol + (long)(t * _in + c) * rows;
                    int* offsets = pofs + t * _outSites;
                    for (int b = 0; b < n; b++, row += _outSites)
                    {
                        float* sample = pin + (long)b * sampleIn + c;
                        int j = 0;
                        if (_gather)
                            for (; j + 8 <= _outSites; j += 8)
                                Avx.Store(row + j, Avx2.GatherVector256(sample, Avx.LoadVector256(offsets + j), 4));
                        for (; j < _outSites; j++)
                        {
                            int offset = offsets[j];
                            row[j] = offset < 0 ? 0f : sample[offset];
                        }
                    }
                }
    }

    /// <summary>col2im: adds each gathered entry's gradient back onto the input site it was read from, in a fixed order.</summary>
    private unsafe void ColumnScatter(int n, ReadOnlySpan<float> dcol, Span<float> down, int rows)
    {
        down.Clear();
        int sampleIn = Inputs;
        fixed (float* pcol = dcol, pdown = down)
        fixed (int* pofs = _offsetByTap)
            for (int t = 0; t < _k; t++)
                for (int c = 0; c < _in; c++)
                {
                    float* row = pcol + (long)(t * _in + c) * rows;
                    int* offsets = pofs + t * _outSites;
                    for (int b = 0; b < n; b++, row += _outSites)
                    {
                        float* sample = pdown + (long)b * sampleIn + c;
                        for (int j = 0; j < _outSites; j++)
                        {
                            int offset = offsets[j];
                            if (offset >= 0) sample[offset] += row[j];
                        }
                    }
                }
    }

    // Site-major mode (out channels ≥ one vector): one row per output site, columns t · in + c.

    private void RowForward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        RowGather(n, input, col);
        Gemm.Multiply(rows, _out, _taps, col, _taps, false, packed[..(_taps * _out)], _out, z, _out,
            bias.IsEmpty ? GemmInit.Zero : GemmInit.Bias, bias, path);
    }

    private void RowWeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
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

    private void RowInputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        int rows = n * _outSites;
        var dcol = scratch[..(rows * _taps)];
        Gemm.Multiply(rows, _taps, _out, delta, _out, false, packed[(_taps * _out)..], _taps, dcol, _taps, GemmInit.Zero, default, path);
        RowScatter(n, dcol, down[..(n * Inputs)]);
    }

    /// <summary>im2col: row (b · sites + j), column (t · in + c) = input of sample b at the site tap t of j reads, channel c.</summary>
    private void RowGather(int n, ReadOnlySpan<float> input, Span<float> col)
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
    private void RowScatter(int n, ReadOnlySpan<float> dcol, Span<float> down)
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
                    else TensorPrimitives.Add(sample.Slice(site * _in, _in), row.Slice(t * _in, _in), sample.Slice(site * _in, _in));
                }
            }
        }
    }
}
