namespace RgLens.Nn;

/// <summary>Builds the <see cref="ILayerKernel"/> of every layer of a spec.</summary>
internal static class LayerKernels
{
    /// <summary>Kernels of layers 1 … L (index 0 unused).</summary>
    public static ILayerKernel[] For(NetworkSpec spec)
    {
        var kernels = new ILayerKernel[spec.Depth + 1];
        for (int l = 1; l <= spec.Depth; l++)
        {
            var layer = spec.Layers[l - 1];
            kernels[l] = layer.Kind switch
            {
                LayerKind.Conv1d => new Conv1dLayer(layer),
                _ => new DenseLayer(spec.Widths[l - 1], layer.Width),
            };
        }
        return kernels;
    }
}
