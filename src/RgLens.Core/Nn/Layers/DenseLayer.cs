using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// A fully connected layer: z = x Wᵀ + c with W (n_l × n_{l−1}, row o holding the weights into
/// unit o). The packed copy is Wᵀ (n_{l−1} × n_l) so the forward product streams it row by row.
/// </summary>
internal sealed class DenseLayer(int inputs, int outputs) : ILayerKernel
{
    public int Inputs { get; } = inputs;

    public int Outputs { get; } = outputs;

    public int Rows => Outputs;

    public int Columns => Inputs;

    public int PackedLength => Inputs * Outputs;

    public int ScratchLength(int samples) => 0;

    public void Pack(ReadOnlySpan<float> weights, int firstRow, int endRow, Span<float> packed) =>
        MatrixKernels.TransposeRows(weights, Outputs, Inputs, firstRow, endRow, packed);

    public void Forward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path) =>
        Gemm.Multiply(n, Outputs, Inputs, input, Inputs, false, packed, Outputs, z, Outputs,
            bias.IsEmpty ? GemmInit.Zero : GemmInit.Bias, bias, path);

    public void WeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path)
    {
        Gemm.Multiply(Outputs, Inputs, n, delta, Outputs, true, input, Inputs, weightGradient, Inputs, GemmInit.Zero, default, path);
        if (!biasGradient.IsEmpty) MatrixKernels.ColumnSums(delta, n, Outputs, biasGradient);
    }

    public void InputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path) =>
        Gemm.Multiply(n, Inputs, Outputs, delta, Outputs, false, weights, Inputs, down, Inputs, GemmInit.Zero, default, path);

    public void ReferenceForward(ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, ReadOnlySpan<double> input, Span<double> z)
    {
        for (int o = 0; o < Outputs; o++)
        {
            double s = bias.IsEmpty ? 0 : bias[o];
            for (int i = 0; i < Inputs; i++) s += weights[o * Inputs + i] * input[i];
            z[o] = s;
        }
    }

    public void ReferenceBackward(ReadOnlySpan<double> weights, ReadOnlySpan<double> input, ReadOnlySpan<double> delta,
        Span<double> weightGradient, Span<double> biasGradient, Span<double> down)
    {
        for (int o = 0; o < Outputs; o++)
        {
            for (int i = 0; i < Inputs; i++) weightGradient[o * Inputs + i] += delta[o] * input[i];
            if (!biasGradient.IsEmpty) biasGradient[o] += delta[o];
        }
        if (down.IsEmpty) return;
        for (int i = 0; i < Inputs; i++)
        {
            double s = 0;
            for (int o = 0; o < Outputs; o++) s += weights[o * Inputs + i] * delta[o];
            down[i] = s;
        }
    }
}
