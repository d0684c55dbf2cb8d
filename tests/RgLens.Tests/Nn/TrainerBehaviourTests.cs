using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Nn;

public sealed class TrainerBehaviourTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static readonly NetworkSpec s_spec = NetworkSpec.Autoencoder([12, 8, 4]);

    private static SampleMatrix<float> Data => NnTestData.Spins(300, 12, 1);

    private static TrainerOptions Options => new() { BatchSize = 32, Epochs = 4, LearningRate = 3e-3, Seed = 5 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SameSeedAndThreadsGiveBitIdenticalWeights(int threads)
    {
        var a = Trainer.Train(s_spec, Data, null, Options with { Threads = threads });
        var b = Trainer.Train(s_spec, Data, null, Options with { Threads = threads });
        Assert.Equal(a.Network.Parameters.ToArray(), b.Network.Parameters.ToArray());
        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
        var c = Trainer.Train(s_spec, Data, null, Options with { Threads = threads, Seed = 6 });
        Assert.NotEqual(a.Network.Parameters.ToArray(), c.Network.Parameters.ToArray());
    }

    [Fact]
    public void IndependentTrainingsCanRunConcurrently()
    {
        // Issue 4 trains hundreds of networks side by side: no shared mutable state between trainings.
        var sequential = Enumerable.Range(0, 4).Select(i => Trainer.Train(s_spec, Data, null, Options with { Seed = (ulong)i }).Network.Parameters.ToArray()).ToArray();
        var concurrent = new float[4][];
        Parallel.For(0, 4, i => concurrent[i] = Trainer.Train(s_spec, Data, null, Options with { Seed = (ulong)i }).Network.Parameters.ToArray());
        for (int i = 0; i < 4; i++) Assert.Equal(sequential[i], concurrent[i]);
    }

    [Fact]
    public void ThreadCountChangesOnlyTheRounding()
    {
        // Splitting the batch reorders float sums; after 4 epochs the weights agree to ~1e-5.
        var one = Trainer.Train(s_spec, Data, null, Options);
        var two = Trainer.Train(s_spec, Data, null, Options with { Threads = 2 });
        double error = NnTestData.RelativeError(NnTestData.ToDouble(two.FinalNetwork.Parameters), NnTestData.ToDouble(one.FinalNetwork.Parameters));
        Assert.True(error < 1e-3, $"relative difference {error:E2}");
    }

    [Fact]
    public void EarlyStoppingReturnsTheBestEpoch()
    {
        // Twenty samples of noise targets: the validation loss soon stops improving.
        var x = NnTestData.Uniform(40, 6, 2);
        var t = NnTestData.Uniform(40, 3, 3);
        var spec = NetworkSpec.Supervised([6, 32, 32], 3);
        var snapshots = new Dictionary<long, Network>();
        var options = new TrainerOptions
        {
            BatchSize = 8, Epochs = 300, LearningRate = 1e-2, Patience = 5, ValidationFraction = 0.5,
            SnapshotSteps = Enumerable.Range(0, 1500).Select(i => (long)i).ToArray(), OnSnapshot = s => snapshots[s.Step] = s.Network,
        };
        var result = Trainer.Train(spec, x, t, options);
        Assert.Equal(StopReason.EarlyStopped, result.StopReason);
        Assert.Equal(result.BestEpoch + 5, result.History.Count);
        Assert.Equal(result.History.Min(h => h.ValidationLoss), result.BestLoss);
        Assert.Equal(result.History[result.BestEpoch - 1].ValidationLoss, result.BestLoss);
        long bestStep = result.History[result.BestEpoch - 1].Step;
        Assert.Equal(snapshots[bestStep].Parameters.ToArray(), result.Network.Parameters.ToArray());
        Assert.Equal(snapshots[result.Steps].Parameters.ToArray(), result.FinalNetwork.Parameters.ToArray());
    }

    [Fact]
    public void SnapshotsArriveAtTheRequestedStepsAsIndependentCopies()
    {
        var seen = new List<NetworkSnapshot>();
        var options = Options with { SnapshotSteps = [0, 1, 9, 10, 36], OnSnapshot = seen.Add };
        var result = Trainer.Train(s_spec, Data, null, options);
        // 270 training rows in batches of 32: 9 steps per epoch, 36 in 4 epochs.
        Assert.Equal([0L, 1, 9, 10, 36], seen.Select(s => s.Step));
        Assert.Equal([0, 1, 1, 2, 4], seen.Select(s => s.Epoch));
        Assert.Equal(Network.Create(s_spec, 5).Parameters.ToArray(), seen[0].Network.Parameters.ToArray());
        Assert.Equal(seen[^1].Network.Parameters.ToArray(), result.FinalNetwork.Parameters.ToArray());
        Assert.NotEqual(seen[1].Network.Parameters.ToArray(), seen[2].Network.Parameters.ToArray());
    }

    [Fact]
    public void ResumingAfterAnInterruptionContinuesBitForBit()
    {
        string checkpoint = Path.Combine(_dir, "checkpoint.npz");
        var options = Options with { CheckpointPath = checkpoint, CheckpointEvery = 4, Epochs = 5, ValidationFraction = 0.2 };
        var uninterrupted = Trainer.Train(s_spec, Data, null, options with { CheckpointPath = null });

        // Interrupt after step 12 (mid-epoch: 8 steps per epoch), once its checkpoint is written.
        using var cancel = new CancellationTokenSource();
        var killed = options with { SnapshotSteps = [12], OnSnapshot = _ => cancel.Cancel() };
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(s_spec, Data, null, killed, cancel.Token));

        var resumed = Trainer.Resume(checkpoint, s_spec, Data, null, options);
        Assert.Equal(uninterrupted.Network.Parameters.ToArray(), resumed.Network.Parameters.ToArray());
        Assert.Equal(uninterrupted.FinalNetwork.Parameters.ToArray(), resumed.FinalNetwork.Parameters.ToArray());
        Assert.Equal(uninterrupted.History.Select(h => (h.Epoch, h.Step, h.TrainLoss, h.ValidationLoss, h.LearningRate)),
            resumed.History.Select(h => (h.Epoch, h.Step, h.TrainLoss, h.ValidationLoss, h.LearningRate)));
        Assert.Equal(uninterrupted.Steps, resumed.Steps);
    }

    [Fact]
    public void ResumingWithOtherOptionsOrDataIsRefused()
    {
        string checkpoint = Path.Combine(_dir, "checkpoint.npz");
        var options = Options with { CheckpointPath = checkpoint, Epochs = 1 };
        Trainer.Train(s_spec, Data, null, options);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Resume(checkpoint, s_spec, Data, null, options with { LearningRate = 0.1 }));
        Assert.Contains("learning_rate", e.Message);
        e = Assert.Throws<ArgumentException>(() => Trainer.Resume(checkpoint, s_spec, NnTestData.Spins(300, 12, 2), null, options));
        Assert.Contains("data", e.Message);
        e = Assert.Throws<ArgumentException>(() => Trainer.Resume(checkpoint, NetworkSpec.Autoencoder([12, 6]), Data, null, options));
        Assert.Contains("12-8(tanh)-4(tanh)", e.Message);
    }

    [Fact]
    public void DivergenceStopsWithTheLastGoodNetworkAndCheckpoint()
    {
        string checkpoint = Path.Combine(_dir, "checkpoint.npz");
        var x = NnTestData.Uniform(200, 6, 4, -3, 3);
        var options = new TrainerOptions
        {
            Optimizer = new SgdSettings(0.9), LearningRate = 5, BatchSize = 20, Epochs = 50, Patience = 0, CheckpointPath = checkpoint, CheckpointEvery = 1,
        };
        var result = Trainer.Train(NetworkSpec.Autoencoder([6, 4], Activation.Identity), x, null, options);
        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.Contains("diverged", result.Message);
        Assert.All(result.Network.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.All(result.FinalNetwork.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
        // The checkpoint on disk is the last one whose weights still give a finite loss.
        var saved = CheckpointFile.Load(checkpoint);
        Assert.True(saved.State.Step >= 1 && saved.State.Step <= result.Steps, $"checkpoint step {saved.State.Step}, stopped after {result.Steps}");
        var kept = Network.FromWeights(saved.Spec, [saved.Parameters[..24], saved.Parameters[28..52]], [saved.Parameters[24..28], saved.Parameters[52..]]);
        Assert.All(kept.Forward(x).Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ProgressReportsEveryEpoch()
    {
        var reports = new List<TrainingProgress>();
        Trainer.Train(s_spec, Data, null, Options with { Progress = reports.Add });
        var closing = reports.Where(r => r.EpochCompleted).ToList();
        Assert.Equal([1, 2, 3, 4], closing.Select(r => r.Epoch));
        Assert.All(closing, r => Assert.True(r.SamplesPerSecond > 0 && double.IsFinite(r.ValidationLoss) && r.TotalSteps == 36));
    }

    [Fact]
    public void BadInputIsRefusedWithOneLine()
    {
        AssertRefused(() => Trainer.Train(s_spec, NnTestData.Spins(300, 10, 1), null, Options), "input width is 12");
        AssertRefused(() => Trainer.Train(s_spec, NnTestData.Spins(1, 12, 1), null, Options), "at least 2 samples");
        var nan = NnTestData.Spins(10, 12, 1);
        nan[3, 4] = float.NaN;
        AssertRefused(() => Trainer.Train(s_spec, nan, null, Options), "row 4, column 5");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { LearningRate = 0 }), "learning rate");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { LearningRate = -1 }), "learning rate");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { BatchSize = 0 }), "batch size");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { ValidationFraction = 1 }), "validation fraction");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { Optimizer = new AdamSettings(Beta1: 1) }), "beta1");
        AssertRefused(() => Trainer.Train(s_spec, Data, null, Options with { Loss = Loss.BinaryCrossEntropy }), "sigmoid output");
        var sigmoid = NetworkSpec.Autoencoder([12, 4], output: Activation.Sigmoid);
        AssertRefused(() => Trainer.Train(sigmoid, Data, null, Options with { Loss = Loss.BinaryCrossEntropy }), "targets in [0, 1]");
        var supervised = NetworkSpec.Supervised([12, 4], 2);
        AssertRefused(() => Trainer.Train(supervised, Data, null, Options), "needs targets");
        AssertRefused(() => Trainer.Train(supervised, Data, NnTestData.Uniform(300, 3, 1), Options), "output width is 2");
        AssertRefused(() => Trainer.Train(s_spec, Data, NnTestData.Uniform(300, 12, 1), Options), "pass no targets");
    }

    [Fact]
    public void BinaryCrossEntropyTrainsOnZeroOneData()
    {
        var bits = NnTestData.Spins(400, 10, 7);
        for (int i = 0; i < bits.Data.Length; i++) bits.Data[i] = (bits.Data[i] + 1) / 2;
        var spec = NetworkSpec.Autoencoder([10, 8], output: Activation.Sigmoid);
        var result = Trainer.Train(spec, bits, null, new TrainerOptions { Loss = Loss.BinaryCrossEntropy, LearningRate = 1e-2, BatchSize = 32, Epochs = 30 });
        // Uniform random bits cost ln 2 per unit at best without structure; a width-8 code of 10 bits gets below it.
        Assert.True(result.BestLoss < 0.9 * Math.Log(2), $"best {result.BestLoss}");
    }

    private static void AssertRefused(Action train, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(train);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
