using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// A 1-D convolution along the chain, as PyTorch's <c>Conv1d(in, out, k, stride=s,
/// padding=(k−1)/2, padding_mode="circular" | "zeros")</c> applied after an optional
/// nearest-neighbour <c>Upsample(scale_factor=u)</c>. Weights W[o, c, t] in PyTorch's (out, in, k)
/// layout; activations site-major (unit <c>site · channels + channel</c>).
/// <para>
/// The fast path is im2col + GEMM: the shard's inputs are gathered into one row of k · in values
/// per output site (row b · sites + j, column t · in + c: contiguous copies of the site-major
/// input), z = col · W (k · in × out), the weight gradient is δᵀ · col (or colᵀ · δ when there are
/// more output channels than taps, whichever fills the vector lanes) and the input gradient
/// δ · W (out × k · in), scattered back onto the sites in a fixed order. A layer with one output
/// channel runs its forward product transposed instead (zᵀ = W · colᵀ, the samples × sites along
/// the lanes; the gathered matrix is then re-gathered site-major for the gradients).
/// </para>
/// <para>
/// Layers with fewer than <see cref="SiteMajorChannels"/> output channels keep the rounding of the
/// transposed form they used to run in: the bias is added after the products, and the input
/// gradient is added onto each site tap by tap, then output site by output site
/// (<see cref="TapScatter"/>); wider layers start their sums from the bias and add the input
/// gradient site by site, then tap (<see cref="RowScatter"/>). Every product sums in the same
/// order in either orientation, so the weights after training are bit for bit those of the
/// earlier transposed kernels.
/// </para>
/// </summary>
internal sealed unsafe class Conv1dLayer : ILayerKernel
{
    /// <summary>
    /// From this many output channels on, a layer starts its sums from the bias and scatters its
    /// input gradient site-major; narrower layers keep the rounding of the transposed product they
    /// ran in before every product became site-major (see the type's remarks).
    /// </summary>
    private const int SiteMajorChannels = 16;

    private readonly int _in, _out, _k, _inSites, _outSites, _taps;
    /// <summary>Whether the forward product runs site-major (all layers but those with one output channel).</summary>
    private readonly bool _siteMajor;
    /// <summary>
    /// Whether the layer keeps the rounding of the transposed form (fewer than <see cref="SiteMajorChannels"/>
    /// output channels): the bias is added after the products, and the input gradient is added onto
    /// the sites tap by tap (tap-major order) rather than site by site.
    /// </summary>
    private readonly bool _transposedRounding;
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
        _transposedRounding = _out < SiteMajorChannels;
        _siteMajor = _out > 1;
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
        // The products run site-major for every layer: the same multiply-adds in the same order as
        // the transposed product (each weight's gradient sums the samples × sites in order).
        if (!_siteMajor) RowGather(n, input, scratch[..(n * _outSites * _taps)]);
        RowWeightGradient(n, delta, input, scratch, weightGradient, biasGradient, path);
    }

    public void InputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        RowInputGradient(n, delta, weights, packed, scratch, down, path);
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

    // Site-major mode (out channels ≥ one vector): one row per output site, columns t · in + c.

    private void RowForward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        RowGather(n, input, col);
        bool biasFirst = !bias.IsEmpty && !_transposedRounding;
        Gemm.Multiply(rows, _out, _taps, col, _taps, false, packed[..(_taps * _out)], _out, z, _out,
            biasFirst ? GemmInit.Bias : GemmInit.Zero, bias, path);
        if (!bias.IsEmpty && _transposedRounding) AddBias(z[..(rows * _out)], bias);
    }

    /// <summary>z[r, o] += bias[o] for every row r of the site-major z (the transposed form's rounding: products first).</summary>
    private void AddBias(Span<float> z, ReadOnlySpan<float> bias)
    {
        fixed (float* pz = z, pb = bias)
        {
            long length = z.Length, i = 0;
            if (Vector512.IsHardwareAccelerated && Vector512<float>.Count % _out == 0)
            {
                // One vector holds whole rows: the bias repeated along it.
                var tiled = stackalloc float[Vector512<float>.Count];
                for (int q = 0; q < Vector512<float>.Count; q++) tiled[q] = pb[q % _out];
                var b = Vector512.Load(tiled);
                for (; i + Vector512<float>.Count <= length; i += Vector512<float>.Count) (Vector512.Load(pz + i) + b).Store(pz + i);
            }
            for (; i < length; i++) pz[i] += pb[i % _out];
        }
    }

    private void RowWeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path)
    {
        int rows = n * _outSites;
        var col = scratch[..(rows * _taps)];
        var tapMajor = scratch.Slice(rows * _taps, _out * _taps);
        // Either orientation sums each weight's products over the samples × sites in order; the
        // wider one fills the vector lanes (out × k·in, or k·in × out when there are more channels out than taps).
        bool byTap = _out > _taps;
        if (byTap) Gemm.Multiply(_taps, _out, rows, col, _taps, true, delta, _out, tapMajor, _out, GemmInit.Zero, default, path);
        else Gemm.Multiply(_out, _taps, rows, delta, _out, true, col, _taps, tapMajor, _taps, GemmInit.Zero, default, path);
        for (int o = 0; o < _out; o++)
            for (int t = 0; t < _k; t++)
                for (int c = 0; c < _in; c++)
                    weightGradient[o * _taps + c * _k + t] = tapMajor[byTap ? (t * _in + c) * _out + o : o * _taps + t * _in + c];
        if (!biasGradient.IsEmpty) MatrixKernels.ColumnSums(delta, rows, _out, biasGradient);
    }

    private void RowInputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path)
    {
        int rows = n * _outSites;
        var dcol = scratch[..(rows * _taps)];
        Gemm.Multiply(rows, _taps, _out, delta, _out, false, packed[(_taps * _out)..], _taps, dcol, _taps, GemmInit.Zero, default, path);
        if (_transposedRounding) TapScatter(n, dcol, down[..(n * Inputs)]);
        else RowScatter(n, dcol, down[..(n * Inputs)]);
    }

    /// <summary>im2col: row (b · sites + j), column (t · in + c) = input of sample b at the site tap t of j reads, channel c.</summary>
    private void RowGather(int n, ReadOnlySpan<float> input, Span<float> col)
    {
        fixed (float* pin = input, pcol = col) RowWalk(n, pin, pcol, scatter: false);
    }

    /// <summary>col2im: adds each gathered row's gradient back onto the input sites it was read from, in row order (site by site, then tap).</summary>
    private void RowScatter(int n, ReadOnlySpan<float> dcol, Span<float> down)
    {
        down.Clear();
        fixed (float* pcol = dcol, pdown = down) RowWalk(n, pdown, pcol, scatter: true);
    }

    /// <summary>The gathered rows in order against the input sites they read: copied from the sites, or added onto them.</summary>
    private void RowWalk(int n, float* samples, float* col, bool scatter)
    {
        int sampleIn = Inputs;
        fixed (int* source = _source)
        {
            float* row = col;
            for (int b = 0; b < n; b++)
            {
                float* sample = samples + (long)b * sampleIn;
                for (int j = 0; j < _outSites; j++)
                    for (int t = 0; t < _k; t++, row += _in)
                    {
                        int site = source[j * _k + t];
                        if (scatter) { if (site >= 0) AddTo(row, sample + site * _in, _in); }
                        else if (site < 0) new Span<float>(row, _in).Clear();
                        else Copy(sample + site * _in, row, _in);
                    }
            }
        }
    }

    /// <summary>
    /// col2im in the transposed form's order: for each sample, tap by tap, the output sites in
    /// order add their gradient onto the input site the tap read (so each input value sums its
    /// contributions by tap, then by output site, as the tap-major layout did).
    /// </summary>
    private void TapScatter(int n, ReadOnlySpan<float> dcol, Span<float> down)
    {
        down.Clear();
        int sampleIn = Inputs, rowLength = _taps;
        fixed (float* pcol = dcol, pdown = down)
        fixed (int* source = _source)
            for (int b = 0; b < n; b++)
            {
                float* sample = pdown + (long)b * sampleIn;
                float* rows = pcol + (long)b * _outSites * rowLength;
                for (int t = 0; t < _k; t++)
                    for (int j = 0; j < _outSites; j++)
                    {
                        int site = source[j * _k + t];
                        if (site >= 0) AddTo(rows + j * rowLength + t * _in, sample + site * _in, _in);
                    }
            }
    }

    /// <summary>target[0 … count) = source[0 … count).</summary>
    private static void Copy(float* source, float* target, int count)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c + 16 <= count; c += 16) Vector512.Store(Vector512.Load(source + c), target + c);
        for (; c + 8 <= count; c += 8) Vector256.Store(Vector256.Load(source + c), target + c);
        for (; c < count; c++) target[c] = source[c];
    }

    /// <summary>target[0 … count) += source[0 … count), element by element.</summary>
    private static void AddTo(float* source, float* target, int count)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; c + 16 <= count; c += 16) Vector512.Store(Vector512.Load(target + c) + Vector512.Load(source + c), target + c);
        for (; c + 8 <= count; c += 8) Vector256.Store(Vector256.Load(target + c) + Vector256.Load(source + c), target + c);
        for (; c < count; c++) target[c] += source[c];
    }
}
