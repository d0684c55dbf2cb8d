namespace RgLens.Nn;

/// <summary>
/// The buffers of one thread's share of a batch, allocated once: the gathered inputs and targets,
/// each layer's activations and back-propagated gradients, the output pre-activations (binary
/// cross-entropy only) and a full-size parameter gradient.
/// </summary>
internal sealed class ShardWorkspace
{
    public ShardWorkspace(ParameterLayout layout, ILayerKernel[] kernels, int capacity, bool ownTargets, bool keepOutputLogits)
    {
        int depth = layout.Depth;
        Capacity = capacity;
        Inputs = new float[capacity * layout.Inputs(1)];
        Targets = ownTargets ? new float[capacity * layout.Outputs(depth)] : [];
        Activations = new float[depth + 1][];
        Deltas = new float[depth + 1][];
        LayerScratch = new float[depth + 1][];
        LayerScratch[0] = [];
        for (int l = 1; l <= depth; l++)
        {
            Activations[l] = new float[capacity * layout.Outputs(l)];
            Deltas[l] = new float[capacity * layout.Outputs(l)];
            LayerScratch[l] = kernels[l].ScratchLength(capacity) is int length and > 0 ? new float[length] : [];
        }
        Activations[0] = Inputs;
        Deltas[0] = [];
        Logits = keepOutputLogits ? new float[capacity * layout.Outputs(depth)] : [];
        Scratch = keepOutputLogits ? new float[capacity * layout.Outputs(depth)] : [];
        Gradient = new float[layout.Count];
    }

    /// <summary>Rows this shard can hold.</summary>
    public int Capacity { get; }

    /// <summary>The shard's input rows (rows × n_0).</summary>
    public float[] Inputs { get; }

    /// <summary>The shard's target rows (rows × n_L); empty when the targets are the inputs (autoencoder).</summary>
    public float[] Targets { get; }

    /// <summary>z_l for l = 0 … L (index 0 is <see cref="Inputs"/>).</summary>
    public float[][] Activations { get; }

    /// <summary>∂loss/∂(pre-activation of layer l), l = 1 … L.</summary>
    public float[][] Deltas { get; }

    /// <summary>Each layer's own scratch (<see cref="ILayerKernel.ScratchLength"/>), kept from the forward to the backward pass.</summary>
    public float[][] LayerScratch { get; }

    /// <summary>The output layer's pre-activations (binary cross-entropy needs them for a stable loss).</summary>
    public float[] Logits { get; }

    /// <summary>Room for the binary cross-entropy's softplus terms (same size as <see cref="Logits"/>).</summary>
    public float[] Scratch { get; }

    /// <summary>This shard's contribution to the batch gradient (flat, see <see cref="ParameterLayout"/>).</summary>
    public float[] Gradient { get; }

    /// <summary>Rows in the current step.</summary>
    public int Rows { get; set; }

    /// <summary>Σ of the per-element loss over the shard's rows in the current step.</summary>
    public double LossSum { get; set; }
}
