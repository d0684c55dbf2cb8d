using RgLens.Networks;

namespace RgLens.Probes;

/// <summary>
/// Receptive fields (<see cref="Gauge.ReceptiveField(IReadOnlyList{DenseWeights}, int)"/>) of
/// several layers of one network, each product of a shared lower chain computed once: the chains
/// of an ONNX model's layers (<see cref="OnnxNetworkSource.DenseChains"/>) reuse the same weight
/// objects for the layers they share, and a layer's field is one <see cref="Gauge.Step"/> on the
/// field below it. The same bits as computing each chain from the input.
/// </summary>
internal sealed class ReceptiveFieldCache(int threads)
{
    /// <summary>Products by chain prefix: the prefix's last layer, under the node of the prefix below it.</summary>
    private sealed class Node
    {
        public double[]? Field; // null at the root: the identity
        public readonly Dictionary<DenseWeights, Node> Above = new(ReferenceEqualityComparer.Instance);
    }

    private readonly Node root = new();

    /// <summary>The receptive field of the last layer of <paramref name="chain"/> (units × input sites).</summary>
    public double[,] Of(IReadOnlyList<DenseWeights> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0) throw new ArgumentException("a receptive field needs at least one layer.", nameof(chain));
        for (int l = 1; l < chain.Count; l++)
            if (chain[l].Inputs != chain[l - 1].Outputs) throw new ArgumentException($"layer {l + 1} takes {chain[l].Inputs} inputs; layer {l} has {chain[l - 1].Outputs} units.", nameof(chain));
        int n = chain[0].Inputs;
        var node = root;
        foreach (var layer in chain)
        {
            if (!node.Above.TryGetValue(layer, out var next))
            {
                next = new Node { Field = Gauge.Step(node.Field, layer, n, threads) };
                node.Above[layer] = next;
            }
            node = next;
        }
        return Gauge.ToMatrix(node.Field!, chain[^1].Outputs, n);
    }
}
