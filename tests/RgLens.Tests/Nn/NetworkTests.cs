using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Nn;

public class NetworkTests
{
    /// <summary>float32 pre-activations against a float64 recomputation from the same float inputs: sums of ≤ 64 terms.</summary>
    private const double Float32Tolerance = 1e-5;

    [Fact]
    public void AutoencoderMirrorsTheEncoder()
    {
        var spec = NetworkSpec.Autoencoder([64, 32, 16]);
        Assert.Equal([64, 32, 16, 32, 64], spec.Widths);
        Assert.Equal(2, spec.FeatureLayer);
        Assert.Equal([Activation.Tanh, Activation.Tanh, Activation.Tanh, Activation.Identity], spec.Layers.Select(l => l.Activation));
        Assert.Equal(Activation.Sigmoid, NetworkSpec.Autoencoder([8, 4], output: Activation.Sigmoid).Layers[^1].Activation);
        Assert.Equal(spec, NetworkSpec.Autoencoder([64, 32, 16]));
    }

    [Fact]
    public void SupervisedHasALinearHeadAfterTheEncoder()
    {
        var spec = NetworkSpec.Supervised([64, 32, 16, 8], 2);
        Assert.Equal([64, 32, 16, 8, 2], spec.Widths);
        Assert.Equal(3, spec.FeatureLayer);
        Assert.Equal(Activation.Identity, spec.Layers[^1].Activation);
        Assert.Equal(Objective.Supervised, spec.Objective);
    }

    [Fact]
    public void InvalidSpecsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => NetworkSpec.Autoencoder([64]));
        Assert.Throws<ArgumentException>(() => NetworkSpec.Autoencoder([64, 0]));
        Assert.Throws<ArgumentException>(() => new NetworkSpec(4, [new LayerSpec(3, Activation.Tanh)], 1, Objective.Autoencoder));
        Assert.Throws<ArgumentException>(() => new NetworkSpec(4, [new LayerSpec(4, Activation.Tanh)], 2, Objective.Autoencoder));
        Assert.Throws<ArgumentException>(() => new NetworkSpec(4, [], 1, Objective.Supervised));
    }

    [Fact]
    public void InitializationFollowsTheSchemeAndTheSeed()
    {
        var spec = NetworkSpec.Autoencoder([256, 128]);
        var a = Network.Create(spec, 7);
        Assert.Equal(a.Parameters.ToArray(), Network.Create(spec, 7).Parameters.ToArray());
        Assert.NotEqual(a.Parameters.ToArray(), Network.Create(spec, 8).Parameters.ToArray());
        // Xavier: variance 2/(256 + 128); 32768 draws give the sample std to ~0.4%, checked to 3%.
        var w = a.GetWeights(1);
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.Equal(Math.Sqrt(2.0 / 384), std, Math.Sqrt(2.0 / 384) * 0.03);
        Assert.All(a.GetBiases(1), b => Assert.Equal(0f, b));
        var he = Network.Create(NetworkSpec.Autoencoder([256, 128], Activation.Relu), 7).GetWeights(1);
        Assert.Equal(Math.Sqrt(2.0 / 256), Math.Sqrt(he.Select(v => (double)v * v).Average()), Math.Sqrt(2.0 / 256) * 0.03);
    }

    [Fact]
    public void ObserveExposesEveryLayerConsistently()
    {
        var spec = NetworkSpec.Autoencoder([9, 6, 3], Activation.Sigmoid);
        var network = NnTestData.RandomNetwork(spec, 1);
        var x = NnTestData.Uniform(20, 9, 2);
        var o = network.Observe(x);
        Assert.Equal(4, o.Depth);
        Assert.Same(x, o.Input);
        Assert.Same(o.Activations(2), o.Features);
        for (int l = 1; l <= spec.Depth; l++)
        {
            var w = network.GetWeights(l);
            var b = network.GetBiases(l);
            var below = o.Activations(l - 1);
            var pre = o.PreActivations(l);
            for (int r = 0; r < x.Rows; r++)
                for (int u = 0; u < spec.Widths[l]; u++)
                {
                    double s = b[u];
                    for (int i = 0; i < below.Columns; i++) s += (double)w[u * below.Columns + i] * below[r, i];
                    Assert.Equal(s, pre[r, u], Float32Tolerance);
                    double expected = ActivationKernels.Value(spec.Layers[l - 1].Activation, pre[r, u]);
                    Assert.Equal(expected, o.Activations(l)[r, u], Float32Tolerance);
                }
        }
    }

    [Fact]
    public void ThreadsAndForwardGiveTheSameBitsAsObserve()
    {
        var spec = NetworkSpec.Autoencoder([20, 12, 5]);
        var network = NnTestData.RandomNetwork(spec, 3);
        var x = NnTestData.Uniform(1000, 20, 4);
        var one = network.Observe(x, threads: 1);
        var four = network.Observe(x, threads: 4);
        for (int l = 1; l <= spec.Depth; l++)
        {
            Assert.Equal(one.PreActivations(l).Data, four.PreActivations(l).Data);
            Assert.Equal(one.Activations(l).Data, four.Activations(l).Data);
        }
        Assert.Equal(one.Output.Data, network.Forward(x, threads: 3).Data);
    }

    [Fact]
    public void BadInputsAreRefused()
    {
        var network = Network.Create(NetworkSpec.Autoencoder([4, 2]), 1);
        Assert.Throws<ArgumentException>(() => network.Forward(new SampleMatrix<float>(3, 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Observe(new SampleMatrix<float>(3, 4), threads: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.GetWeights(3));
        Assert.Throws<ArgumentException>(() => Network.FromWeights(network.Spec, [new float[8], new float[7]], [new float[2], new float[4]]));
        Assert.Throws<ArgumentException>(() => Network.FromWeights(network.Spec, [new float[8], [.. new float[7], float.NaN]], [new float[2], new float[4]]));
    }

    [Fact]
    public void FromWeightsRoundTripsThroughGetters()
    {
        var spec = NetworkSpec.Supervised([3, 2], 1, bias: false);
        var network = Network.FromWeights(spec, [[1, 2, 3, 4, 5, 6], [7, 8]], [[], []]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], network.GetWeights(1));
        Assert.Equal([7f, 8], network.GetWeights(2));
        Assert.Empty(network.GetBiases(2));
        Assert.Equal(8, network.ParameterCount);
    }
}
