namespace RgLens.Nn;

/// <summary>
/// Where each layer's parameters sit in the one flat vector that the optimizer updates:
/// for l = 1 … L, W_l followed by c_l (absent without bias). W_l is a matrix of
/// <see cref="WeightRows"/> rows of <see cref="WeightColumns"/> entries, row-major: for a dense
/// layer n_l × n_{l−1} (row o holds the weights into unit o); for a convolution
/// out channels × (in channels · k), i.e. PyTorch's (out, in, k). c_l has one entry per row.
/// </summary>
internal sealed class ParameterLayout
{
    private readonly int[] _weightOffset, _biasOffset, _inputs, _outputs, _rows, _columns;

    public ParameterLayout(NetworkSpec spec)
    {
        int depth = spec.Depth;
        _weightOffset = new int[depth + 1];
        _biasOffset = new int[depth + 1];
        _inputs = new int[depth + 1];
        _outputs = new int[depth + 1];
        _rows = new int[depth + 1];
        _columns = new int[depth + 1];
        long offset = 0;
        for (int l = 1; l <= depth; l++)
        {
            var layer = spec.Layers[l - 1];
            _inputs[l] = spec.Widths[l - 1];
            _outputs[l] = spec.Widths[l];
            bool conv = layer.Kind == LayerKind.Conv1d;
            _rows[l] = conv ? layer.OutChannels : _outputs[l];
            _columns[l] = conv ? layer.InChannels * layer.Kernel : _inputs[l];
            _weightOffset[l] = checked((int)offset);
            offset += (long)_rows[l] * _columns[l];
            if (offset > Array.MaxLength) throw new ArgumentException($"the network has {offset} parameters or more; at most {Array.MaxLength} fit in memory.");
            _biasOffset[l] = checked((int)offset);
            if (layer.Bias) offset += _rows[l];
            if (offset > Array.MaxLength) throw new ArgumentException($"the network has {offset} parameters or more; at most {Array.MaxLength} fit in memory.");
        }
        Count = (int)offset;
        Depth = depth;
    }

    /// <summary>L.</summary>
    public int Depth { get; }

    /// <summary>Total number of parameters.</summary>
    public int Count { get; }

    /// <summary>n_{l−1}, the inputs of layer l.</summary>
    public int Inputs(int layer) => _inputs[layer];

    /// <summary>n_l, the units of layer l.</summary>
    public int Outputs(int layer) => _outputs[layer];

    /// <summary>Rows of W_l (dense: n_l; convolution: out channels); also the number of biases.</summary>
    public int WeightRows(int layer) => _rows[layer];

    /// <summary>Entries per row of W_l (dense: n_{l−1}; convolution: in channels · k).</summary>
    public int WeightColumns(int layer) => _columns[layer];

    /// <summary>Offset of W_l.</summary>
    public int WeightOffset(int layer) => _weightOffset[layer];

    /// <summary>Number of weights of layer l.</summary>
    public int WeightCount(int layer) => _rows[layer] * _columns[layer];

    /// <summary>Offset of c_l (equal to the next layer's weight offset when the layer has no bias).</summary>
    public int BiasOffset(int layer) => _biasOffset[layer];

    /// <summary>Number of biases of layer l (rows of W_l, or 0).</summary>
    public int BiasCount(int layer) => (layer == Depth ? Count : _weightOffset[layer + 1]) - _biasOffset[layer];

    /// <summary>W_l within <paramref name="parameters"/>.</summary>
    public Span<float> Weights(Span<float> parameters, int layer) => parameters.Slice(_weightOffset[layer], WeightCount(layer));

    /// <summary>c_l within <paramref name="parameters"/> (empty without bias).</summary>
    public Span<float> Biases(Span<float> parameters, int layer) => parameters.Slice(_biasOffset[layer], BiasCount(layer));
}
