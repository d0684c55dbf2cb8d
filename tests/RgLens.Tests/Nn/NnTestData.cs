using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Nn;

/// <summary>Small random data sets and networks for the network tests.</summary>
internal static class NnTestData
{
    public static SampleMatrix<float> Uniform(int rows, int cols, int seed, float low = -1, float high = 1)
    {
        var random = new Random(seed);
        var m = new SampleMatrix<float>(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(low + (high - low) * random.NextDouble());
        return m;
    }

    public static SampleMatrix<float> Spins(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var m = new SampleMatrix<float>(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = random.Next(2) * 2 - 1;
        return m;
    }

    /// <summary>A network with all weights and biases drawn uniformly in ±scale (so biases are not zero).</summary>
    public static Network RandomNetwork(NetworkSpec spec, int seed, double scale = 0.7)
    {
        var random = new Random(seed);
        var weights = new List<float[]>();
        var biases = new List<float[]>();
        for (int l = 1; l <= spec.Depth; l++)
        {
            var layer = spec.Layers[l - 1];
            bool conv = layer.Kind == LayerKind.Conv1d;
            weights.Add(Draw(conv ? layer.OutChannels * layer.InChannels * layer.Kernel : spec.Widths[l] * spec.Widths[l - 1]));
            biases.Add(layer.Bias ? Draw(conv ? layer.OutChannels : spec.Widths[l]) : []);
        }
        return Network.FromWeights(spec, weights, biases);

        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(scale * (2 * random.NextDouble() - 1))).ToArray();
    }

    public static double[] ToDouble(ReadOnlySpan<float> v)
    {
        var d = new double[v.Length];
        for (int i = 0; i < v.Length; i++) d[i] = v[i];
        return d;
    }

    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.Sqrt(diff / norm);
    }

    /// <summary>Hidden activation × (loss, output activation): every combination the trainer accepts.</summary>
    public static TheoryData<string, string, string> ActivationLossCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var hidden in NnNames.Activations)
        {
            foreach (var output in NnNames.Activations) data.Add(hidden, "mse", output);
            data.Add(hidden, "bce", "sigmoid");
        }
        return data;
    }

    /// <summary>A 5 → 4 → 3 → 5 network with the given activations (supervised, so any targets fit).</summary>
    public static NetworkSpec SmallSpec(Activation hidden, Activation output, bool bias = true) =>
        new(5, [new LayerSpec(4, hidden, bias), new LayerSpec(3, hidden, bias), new LayerSpec(5, output, bias)], 2, Objective.Supervised);

    public static SampleMatrix<float> Targets(Loss loss, int rows, int cols, int seed) =>
        loss == Loss.BinaryCrossEntropy ? Uniform(rows, cols, seed, 0, 1) : Uniform(rows, cols, seed, -1, 1);
}
