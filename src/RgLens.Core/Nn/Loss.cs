namespace RgLens.Nn;

/// <summary>The training loss, averaged over the samples and output units of a batch (as PyTorch's default <c>reduction='mean'</c>).</summary>
public enum Loss
{
    /// <summary>Mean squared error: (1/(B·n)) Σ (y − t)². The default, and the choice for ±1 spins (docs/theory.md, "Networks and objectives").</summary>
    MeanSquaredError,

    /// <summary>
    /// Binary cross-entropy on 0/1 targets: (1/(B·n)) Σ −[t ln y + (1 − t) ln(1 − y)], computed from
    /// the logits z of a sigmoid output layer as softplus(z) − t·z for stability. Requires a
    /// <see cref="Activation.Sigmoid"/> output layer and targets in [0, 1].
    /// </summary>
    BinaryCrossEntropy,
}
