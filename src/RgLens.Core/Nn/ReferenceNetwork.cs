namespace RgLens.Nn;

/// <summary>
/// The float64 reference path: the loss of the network of docs/theory.md ("Networks and objectives") and its exact gradient by
/// back-propagation, one sample at a time in plain loops. Slow and simple on purpose; gradient
/// checks compare it with central finite differences, and the float32 engine is tested against it.
/// Parameters use the flat layout of <see cref="ParameterLayout"/>.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>
    /// The mean loss over rows × n_L output elements of x (rows × n_0) against t (rows × n_L), and
    /// when <paramref name="gradient"/> is given, its gradient with respect to every parameter.
    /// </summary>
    public static double Loss(NetworkSpec spec, double[] parameters, double[] x, double[] t, int rows, Loss loss, double[]? gradient = null)
    {
        var layout = new ParameterLayout(spec);
        var kernels = LayerKernels.For(spec);
        int depth = spec.Depth, outputs = spec.OutputWidth;
        if (gradient is not null) Array.Clear(gradient);
        double total = 0, scale = 1.0 / ((double)rows * outputs);
        var z = new double[depth + 1][];
        var a = new double[depth + 1][];
        for (int l = 1; l <= depth; l++)
        {
            z[l] = new double[layout.Outputs(l)];
            a[l] = new double[layout.Outputs(l)];
        }
        for (int r = 0; r < rows; r++)
        {
            a[0] = x.AsSpan(r * spec.InputWidth, spec.InputWidth).ToArray();
            for (int l = 1; l <= depth; l++)
            {
                var act = spec.Layers[l - 1].Activation;
                kernels[l].ReferenceForward(parameters.AsSpan(layout.WeightOffset(l), layout.WeightCount(l)),
                    parameters.AsSpan(layout.BiasOffset(l), layout.BiasCount(l)), a[l - 1], z[l]);
                for (int o = 0; o < layout.Outputs(l); o++) a[l][o] = ActivationKernels.Value(act, z[l][o]);
            }
            var delta = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double target = t[r * outputs + o], zo = z[depth][o], ao = a[depth][o];
                if (loss == Nn.Loss.MeanSquaredError)
                {
                    total += (ao - target) * (ao - target);
                    delta[o] = 2 * scale * (ao - target) * ActivationKernels.Derivative(spec.Layers[depth - 1].Activation, zo);
                }
                else
                {
                    total += Math.Max(zo, 0) + Math.Log(1 + Math.Exp(-Math.Abs(zo))) - target * zo;
                    delta[o] = scale * (ActivationKernels.Value(Activation.Sigmoid, zo) - target);
                }
            }
            if (gradient is not null) Backward(spec, layout, kernels, parameters, z, a, delta, gradient);
        }
        return total * scale;
    }

    private static void Backward(NetworkSpec spec, ParameterLayout layout, ILayerKernel[] kernels, double[] parameters, double[][] z, double[][] a, double[] delta, double[] gradient)
    {
        for (int l = spec.Depth; l >= 1; l--)
        {
            int inputs = layout.Inputs(l);
            var below = l == 1 ? [] : new double[inputs];
            kernels[l].ReferenceBackward(parameters.AsSpan(layout.WeightOffset(l), layout.WeightCount(l)), a[l - 1], delta,
                gradient.AsSpan(layout.WeightOffset(l), layout.WeightCount(l)), gradient.AsSpan(layout.BiasOffset(l), layout.BiasCount(l)), below);
            if (l == 1) break;
            var act = spec.Layers[l - 2].Activation;
            for (int i = 0; i < inputs; i++) below[i] *= ActivationKernels.Derivative(act, z[l - 1][i]);
            delta = below;
        }
    }
}
