using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The seam between the training engine and what a layer computes. A layer maps a batch of
/// n samples of <see cref="Inputs"/> values to pre-activations of <see cref="Outputs"/> values;
/// its weights are a row-major <see cref="Rows"/> × <see cref="Columns"/> matrix in the flat
/// parameter vector (<see cref="ParameterLayout"/>), with one bias per row. The engine keeps a
/// packed copy of the weights (whatever layout the forward pass wants), refreshed row range by
/// row range after every update, and gives each layer a per-shard scratch buffer that lives from
/// the forward pass to the backward pass. Every method is deterministic and sequential, so the
/// engine's fixed thread split alone decides the bits. The <c>Reference…</c> methods are the
/// float64 per-sample path of <see cref="ReferenceNetwork"/>.
/// </summary>
internal interface ILayerKernel
{
    /// <summary>n_{l−1}, values per sample in.</summary>
    int Inputs { get; }

    /// <summary>n_l, values per sample out.</summary>
    int Outputs { get; }

    /// <summary>Rows of the weight matrix (and biases).</summary>
    int Rows { get; }

    /// <summary>Entries per weight row.</summary>
    int Columns { get; }

    /// <summary>Floats of the packed weight copy.</summary>
    int PackedLength { get; }

    /// <summary>Floats of scratch a shard of <paramref name="samples"/> samples needs.</summary>
    int ScratchLength(int samples);

    /// <summary>Refreshes the packed copy for weight rows [<paramref name="firstRow"/>, <paramref name="endRow"/>); other rows are not touched.</summary>
    void Pack(ReadOnlySpan<float> weights, int firstRow, int endRow, Span<float> packed);

    /// <summary>z = pre-activations (n × <see cref="Outputs"/>) of the batch <paramref name="input"/> (n × <see cref="Inputs"/>).</summary>
    void Forward(int n, ReadOnlySpan<float> input, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> z, Span<float> scratch, KernelPath path);

    /// <summary>
    /// ∂loss/∂W and ∂loss/∂c (overwritten) from the pre-activation gradient <paramref name="delta"/>
    /// and the layer's input; runs after <see cref="Forward"/> on the same scratch.
    /// </summary>
    void WeightGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> input, Span<float> scratch,
        Span<float> weightGradient, Span<float> biasGradient, KernelPath path);

    /// <summary>∂loss/∂input (overwritten; before the activation derivative of the layer below); runs after <see cref="WeightGradient"/>.</summary>
    void InputGradient(int n, ReadOnlySpan<float> delta, ReadOnlySpan<float> weights, ReadOnlySpan<float> packed, Span<float> scratch,
        Span<float> down, KernelPath path);

    /// <summary>Float64 pre-activations of one sample.</summary>
    void ReferenceForward(ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, ReadOnlySpan<double> input, Span<double> z);

    /// <summary>
    /// Float64 back-propagation of one sample: adds to the weight and bias gradients and, when
    /// <paramref name="down"/> is not empty, overwrites it with ∂loss/∂input.
    /// </summary>
    void ReferenceBackward(ReadOnlySpan<double> weights, ReadOnlySpan<double> input, ReadOnlySpan<double> delta,
        Span<double> weightGradient, Span<double> biasGradient, Span<double> down);
}
