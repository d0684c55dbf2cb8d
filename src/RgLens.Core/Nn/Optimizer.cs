using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The optimizer's state over the flat parameter vector (Adam: first and second moments; SGD:
/// the momentum buffer) and its update of one slice. Updates are element-wise, so threads can
/// each take a slice.
/// </summary>
internal sealed class Optimizer
{
    private readonly OptimizerSettings _settings;
    private readonly float _weightDecay;
    private readonly KernelPath _path;

    public Optimizer(OptimizerSettings settings, double weightDecay, int parameters, KernelPath path)
    {
        _settings = settings;
        _weightDecay = (float)weightDecay;
        _path = path;
        First = new float[parameters];
        Second = settings is AdamSettings ? new float[parameters] : [];
    }

    /// <summary>Adam's m or SGD's momentum buffer.</summary>
    public float[] First { get; }

    /// <summary>Adam's v (empty for SGD).</summary>
    public float[] Second { get; }

    /// <summary>Updates completed (Adam's t after the update).</summary>
    public long Steps { get; set; }

    /// <summary>
    /// Updates parameters [start, start + length) from the gradient with the learning rate of
    /// update number <see cref="Steps"/> (already counted); <paramref name="decay"/> applies the
    /// weight decay (weights yes, biases no).
    /// </summary>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradient, int start, int length, float learningRate, bool decay)
    {
        if (length == 0) return;
        var p = parameters.Slice(start, length);
        var g = gradient.Slice(start, length);
        float lambda = decay ? _weightDecay : 0f;
        if (_settings is AdamSettings adam)
        {
            var s = new AdamKernel.Settings(learningRate, (float)adam.Beta1, (float)adam.Beta2, (float)adam.Epsilon, lambda, Steps);
            AdamKernel.Update(p, First.AsSpan(start, length), Second.AsSpan(start, length), g, s, _path);
        }
        else
        {
            var sgd = (SgdSettings)_settings;
            SgdKernel.Update(p, First.AsSpan(start, length), g, learningRate, (float)sgd.Momentum, lambda, _path);
        }
    }
}
