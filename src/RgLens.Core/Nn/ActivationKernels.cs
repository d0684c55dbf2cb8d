using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>The activation functions of <see cref="Activation"/> on float spans (fast paths) and on doubles (the reference).</summary>
internal static class ActivationKernels
{
    /// <summary>x ← σ(x) in place.</summary>
    public static void Apply(Activation activation, Span<float> x, KernelPath path)
    {
        switch (activation)
        {
            case Activation.Tanh: Elementwise.Apply<ActivationOperators.Tanh>(x, path); break;
            case Activation.Sigmoid: Elementwise.Apply<ActivationOperators.Sigmoid>(x, path); break;
            case Activation.Relu: Elementwise.Apply<ActivationOperators.Relu>(x, path); break;
        }
    }

    /// <summary>g ← g·σ′ given the activations a = σ(z) (the derivative of each activation is a function of its output).</summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> a, Span<float> g, KernelPath path)
    {
        switch (activation)
        {
            case Activation.Tanh: Elementwise.Apply<ActivationOperators.TanhBackward>(a, g, path); break;
            case Activation.Sigmoid: Elementwise.Apply<ActivationOperators.SigmoidBackward>(a, g, path); break;
            case Activation.Relu: Elementwise.Apply<ActivationOperators.ReluBackward>(a, g, path); break;
        }
    }

    /// <summary>σ(z) in double precision (reference path).</summary>
    public static double Value(Activation activation, double z) => activation switch
    {
        Activation.Tanh => Math.Tanh(z),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Relu => z > 0 ? z : 0,
        _ => z,
    };

    /// <summary>σ′(z) in double precision (reference path).</summary>
    public static double Derivative(Activation activation, double z) => activation switch
    {
        Activation.Tanh => 1 - Math.Tanh(z) * Math.Tanh(z),
        Activation.Sigmoid => Value(Activation.Sigmoid, z) * (1 - Value(Activation.Sigmoid, z)),
        Activation.Relu => z > 0 ? 1 : 0,
        _ => 1,
    };
}
