using MathNet.Numerics.LinearAlgebra;
using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Nn;

public class TrainerConvergenceTests
{
    /// <summary>float32 parameters compared with double hand calculations: a few ulps of numbers near 0.5.</summary>
    private const float HandTolerance = 1e-6f;

    [Fact]
    public void AdamMatchesHandComputedSteps()
    {
        // y = w·x, x = 1, t = 0: loss w², gradient 2w; β = (0.9, 0.999), ε = 1e-8, lr = 0.1, w0 = 0.5.
        // t=1: g=1,        m=0.1,      v=0.001,      m̂=1,        v̂=1,        w1 = 0.5 − 0.1·1/1             = 0.4
        // t=2: g=0.8,      m=0.17,     v=0.001639,   m̂=0.894737, v̂=0.819910, w2 = 0.4 − 0.1·0.894737/0.905489 = 0.3011874
        // t=3: g=0.602375, m=0.213237, v=0.00200022, m̂=0.786854, v̂=0.667406, w3 = 0.301187 − 0.1·0.786854/0.816949 = 0.2048713
        var weights = TrainSingleWeight(new AdamSettings(), learningRate: 0.1, decay: 0);
        Assert.Equal(0.4f, weights[0], HandTolerance);
        Assert.Equal(0.3011874f, weights[1], HandTolerance);
        Assert.Equal(0.2048713f, weights[2], HandTolerance);
    }

    [Fact]
    public void SgdWithMomentumMatchesHandComputedSteps()
    {
        // Same problem, μ = 0.9, lr = 0.1: b1 = 1 → w1 = 0.4; b2 = 0.9 + 0.8 = 1.7 → w2 = 0.23; b3 = 1.53 + 0.46 = 1.99 → w3 = 0.031.
        var weights = TrainSingleWeight(new SgdSettings(0.9), learningRate: 0.1, decay: 0);
        Assert.Equal(0.4f, weights[0], HandTolerance);
        Assert.Equal(0.23f, weights[1], HandTolerance);
        Assert.Equal(0.031f, weights[2], HandTolerance);
    }

    [Fact]
    public void AdamWeightDecayIsDecoupled()
    {
        // Target t = w0 makes the gradient 0, so Adam's own step is 0/(0 + ε) = 0 and only the
        // decay acts: w1 = w0·(1 − lr·λ) = 0.5·(1 − 0.1·0.2) = 0.49.
        var weights = TrainSingleWeight(new AdamSettings(), learningRate: 0.1, decay: 0.2, target: 0.5f);
        Assert.Equal(0.49f, weights[0], HandTolerance);
    }

    [Fact]
    public void LinearAutoencoderRecoversThePrincipalSubspace()
    {
        // Baldi and Hornik (1989): a linear autoencoder's optimum spans the top-k eigenvectors of
        // the data's second-moment matrix. Gaussian data with a wide spectral gap (4 vs 0.5); all
        // samples train (no validation split) so the target is exactly their moment matrix, and a
        // cosine schedule anneals away the mini-batch jitter (measured distance 0.002).
        int n = 2000, d = 8, k = 3;
        double[] spectrum = [9, 6, 4, 0.5, 0.3, 0.2, 0.1, 0.05];
        var random = new Random(5);
        var q = Matrix<double>.Build.Dense(d, d, (_, _) => Gaussian(random)).QR().Q;
        var data = new SampleMatrix<float>(n, d);
        for (int r = 0; r < n; r++)
        {
            var z = Vector<double>.Build.Dense(d, i => Math.Sqrt(spectrum[i]) * Gaussian(random));
            var x = q * z;
            for (int i = 0; i < d; i++) data[r, i] = (float)x[i];
        }
        var spec = NetworkSpec.Autoencoder([d, k], Activation.Identity);
        var options = new TrainerOptions { LearningRate = 1e-2, Schedule = new CosineSchedule(), BatchSize = 64, Epochs = 80, ValidationFraction = 0, Patience = 0, Seed = 3 };
        var result = Trainer.Train(spec, data, null, options);

        var decoder = Matrix<double>.Build.Dense(d, k, (i, j) => result.Network.GetWeights(2)[i * k + j]);
        var learned = decoder * (decoder.TransposeThisAndMultiply(decoder)).Inverse() * decoder.Transpose();
        var moment = Matrix<double>.Build.Dense(d, d, (i, j) => Enumerable.Range(0, n).Average(r => (double)data[r, i] * data[r, j]));
        var evd = moment.Evd(Symmetricity.Symmetric);
        var top = evd.EigenVectors.SubMatrix(0, d, d - k, k); // MathNet sorts eigenvalues ascending
        var principal = top * top.Transpose();
        // Frobenius distance of the projectors = √2·‖sin θ‖ over the principal angles θ.
        double distance = (learned - principal).FrobeniusNorm();
        Assert.True(distance < 0.01, $"projector distance {distance:F4}; final loss {result.History[^1].TrainLoss:F4}");
    }

    [Fact]
    public void XorIsLearnedWithZeroError()
    {
        float[][] points = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
        float[] labels = [0, 1, 1, 0];
        var x = new SampleMatrix<float>(32, 2);
        var t = new SampleMatrix<float>(32, 1);
        for (int r = 0; r < 32; r++)
        {
            x[r, 0] = points[r % 4][0];
            x[r, 1] = points[r % 4][1];
            t[r, 0] = labels[r % 4];
        }
        var spec = new NetworkSpec(2, [new LayerSpec(8, Activation.Tanh), new LayerSpec(1, Activation.Sigmoid)], 1, Objective.Supervised);
        var options = new TrainerOptions { Loss = Loss.BinaryCrossEntropy, LearningRate = 0.05, BatchSize = 8, Epochs = 150, ValidationFraction = 0, Patience = 0 };
        var result = Trainer.Train(spec, x, t, options);
        var y = result.Network.Forward(new SampleMatrix<float>(points.SelectMany(p => p).ToArray(), 4, 2));
        for (int i = 0; i < 4; i++) Assert.Equal(labels[i], y.Data[i] > 0.5f ? 1f : 0f);
        Assert.True(result.History[^1].TrainLoss < 0.05, $"final loss {result.History[^1].TrainLoss}");
    }

    [Fact]
    public void SupervisedHeadRegressesTheTargets()
    {
        // Targets a smooth function of the inputs: the loss must fall by far more than noise.
        var x = NnTestData.Uniform(600, 6, 1);
        var t = new SampleMatrix<float>(600, 2);
        for (int r = 0; r < 600; r++)
        {
            t[r, 0] = x[r, 0] + 0.5f * x[r, 1];
            t[r, 1] = MathF.Tanh(x[r, 2] - x[r, 3]);
        }
        var result = Trainer.Train(NetworkSpec.Supervised([6, 16, 8], 2), x, t, new TrainerOptions { LearningRate = 3e-3, BatchSize = 32, Epochs = 40 });
        Assert.True(result.BestLoss < result.History[0].ValidationLoss / 10, $"best {result.BestLoss}, first {result.History[0].ValidationLoss}");
    }

    private static float[] TrainSingleWeight(OptimizerSettings optimizer, double learningRate, double decay, float target = 0)
    {
        var spec = new NetworkSpec(1, [new LayerSpec(1, Activation.Identity, Bias: false)], 1, Objective.Supervised);
        var initial = Network.FromWeights(spec, [[0.5f]], [[]]);
        var x = new SampleMatrix<float>([1f, 1f], 2, 1);
        var t = new SampleMatrix<float>([target, target], 2, 1);
        var weights = new float[3];
        var options = new TrainerOptions
        {
            Optimizer = optimizer, LearningRate = learningRate, WeightDecay = decay, BatchSize = 2, Epochs = 3,
            ValidationFraction = 0, Patience = 0, SnapshotSteps = [1, 2, 3],
            OnSnapshot = s => weights[s.Step - 1] = s.Network.GetWeights(1)[0],
        };
        Trainer.Train(initial, x, t, options);
        return weights;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
