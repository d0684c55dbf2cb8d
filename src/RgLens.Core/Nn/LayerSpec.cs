namespace RgLens.Nn;

/// <summary>
/// One layer l: its width n_l (units, or for a convolution out channels × output sites), its
/// activation σ_l and whether it has a bias c_l. A dense layer needs nothing more; a
/// convolution (<see cref="Conv1d"/>) also carries its channels, kernel, stride, padding, the
/// number of input sites and an optional nearest-neighbour upsampling of its input.
/// Activations of a convolution are stored site-major ("channels last"): unit
/// <c>site · channels + channel</c>, so a one-channel chain is just the spins in order.
/// </summary>
/// <param name="Width">Number of units n_l (≥ 1).</param>
/// <param name="Activation">The activation σ_l.</param>
/// <param name="Bias">Whether the layer adds a bias vector c_l (one per output channel for a convolution).</param>
public sealed record LayerSpec(int Width, Activation Activation, bool Bias = true)
{
    /// <summary>Dense or Conv1d.</summary>
    public LayerKind Kind { get; init; } = LayerKind.Dense;

    /// <summary>Input channels of a convolution (0 for dense layers).</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels of a convolution (0 for dense layers).</summary>
    public int OutChannels { get; init; }

    /// <summary>Kernel size k of a convolution (odd; padding (k − 1)/2 on each side).</summary>
    public int Kernel { get; init; }

    /// <summary>Stride s of a convolution.</summary>
    public int Stride { get; init; }

    /// <summary>Padding of a convolution.</summary>
    public Padding Padding { get; init; }

    /// <summary>Sites of the convolution's input (before upsampling).</summary>
    public int InputSites { get; init; }

    /// <summary>Nearest-neighbour upsampling factor applied to the input before convolving (1: none).</summary>
    public int Upsample { get; init; } = 1;

    /// <summary>Sites after upsampling: <see cref="InputSites"/> · <see cref="Upsample"/>.</summary>
    public int UpsampledSites => InputSites * Upsample;

    /// <summary>Sites of the convolution's output: upsampled sites / stride.</summary>
    public int OutputSites => Stride > 0 ? UpsampledSites / Stride : 0;

    /// <summary>
    /// A 1-D convolution of a chain of <paramref name="inputSites"/> sites with
    /// <paramref name="inChannels"/> channels: optional nearest-neighbour upsampling by
    /// <paramref name="upsample"/>, then kernel <paramref name="kernel"/> (odd), stride
    /// <paramref name="stride"/>, padding (k − 1)/2 of kind <paramref name="padding"/>. Its width is
    /// out channels × (input sites · upsample / stride).
    /// </summary>
    /// <exception cref="ArgumentException">A size below 1, an even kernel, a kernel longer than the chain, or a stride that does not divide the sites.</exception>
    public static LayerSpec Conv1d(int inChannels, int outChannels, int inputSites, int kernel, int stride, Padding padding,
        Activation activation, bool bias = true, int upsample = 1)
    {
        var spec = new LayerSpec(0, activation, bias)
        {
            Kind = LayerKind.Conv1d, InChannels = inChannels, OutChannels = outChannels, Kernel = kernel, Stride = stride,
            Padding = padding, InputSites = inputSites, Upsample = upsample,
        };
        spec.ValidateConv();
        return spec with { Width = outChannels * spec.OutputSites };
    }

    /// <summary>Checks a convolution's sizes (nothing for a dense layer).</summary>
    /// <exception cref="ArgumentException">What is wrong, in one line.</exception>
    internal void ValidateConv()
    {
        if (Kind == LayerKind.Dense) return;
        if (Kind != LayerKind.Conv1d) throw new ArgumentException($"unknown layer kind ({(int)Kind}).");
        if (InChannels < 1 || OutChannels < 1) throw new ArgumentException($"a convolution needs >= 1 input and output channels; got {InChannels} and {OutChannels}.");
        if (InputSites < 1) throw new ArgumentException($"a convolution needs >= 1 input sites; got {InputSites}.");
        if (Upsample < 1) throw new ArgumentException($"the upsampling factor must be >= 1; got {Upsample}.");
        if (Stride < 1) throw new ArgumentException($"the stride must be >= 1; got {Stride}.");
        if (Kernel < 1 || Kernel % 2 == 0) throw new ArgumentException($"the kernel must be odd and >= 1 (padding (k-1)/2 each side); got {Kernel}.");
        if (!Enum.IsDefined(Padding)) throw new ArgumentException($"unknown padding ({(int)Padding}).");
        if ((long)InputSites * Upsample > int.MaxValue) throw new ArgumentException($"{InputSites} sites upsampled by {Upsample} are too many.");
        if (Kernel > UpsampledSites) throw new ArgumentException($"the kernel ({Kernel}) is longer than the chain ({UpsampledSites} sites).");
        if (UpsampledSites % Stride != 0) throw new ArgumentException($"the stride {Stride} does not divide the {UpsampledSites} sites.");
        if ((long)OutChannels * OutputSites > int.MaxValue) throw new ArgumentException($"the convolution's output ({OutChannels} channels x {OutputSites} sites) is too large.");
    }
}
