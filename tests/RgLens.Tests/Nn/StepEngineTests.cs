using RgLens.Nn;
using RgLens.Numerics;

namespace RgLens.Tests.Nn;

[Collection(SequentialCollection.Name)]
public class StepEngineTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepsAllocateNothing(int threads)
    {
        // Issue 4 trains hundreds of small networks: the step loop must not feed the GC.
        var spec = NetworkSpec.Autoencoder([64, 32, 16, 8]);
        var parameters = Network.Create(spec, 1).Parameters.ToArray();
        var optimizer = new Optimizer(new AdamSettings(), 1e-4, parameters.Length, KernelPaths.Best);
        using var engine = new StepEngine(spec, parameters, optimizer, Loss.MeanSquaredError, threads, 128, KernelPaths.Best);
        var x = NnTestData.Spins(512, 64, 2);
        var rows = Enumerable.Range(0, 512).ToArray();
        // Warm up past tiered compilation (methods called ~30 times are recompiled, and the
        // promotion can allocate on the calling thread), so that only the steady state is counted.
        for (int i = 0; i < 300; i++) engine.Step(x, x, rows, (i % 4) * 128, 128, 1e-3f);
        // Counted on the engine's own threads: the test runner's threads allocate at their own pace.
        long before = engine.AllocatedBytes();
        for (int i = 0; i < 200; i++) engine.Step(x, x, rows, (i % 4) * 128, 128, 1e-3f);
        long allocated = engine.AllocatedBytes() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 200 steps");
    }

    [Fact]
    public void AStepLowersTheLossOfItsBatch()
    {
        var spec = NetworkSpec.Autoencoder([16, 8]);
        var parameters = Network.Create(spec, 1).Parameters.ToArray();
        var optimizer = new Optimizer(new SgdSettings(0), 0, parameters.Length, KernelPaths.Best);
        using var engine = new StepEngine(spec, parameters, optimizer, Loss.MeanSquaredError, 2, 64, KernelPaths.Best);
        var x = NnTestData.Spins(64, 16, 3);
        var rows = Enumerable.Range(0, 64).ToArray();
        double before = engine.EvaluateLoss(x, x, rows, 0, 64);
        Assert.Equal(before, engine.Step(x, x, rows, 0, 64, 0.05f), 12);
        Assert.True(engine.EvaluateLoss(x, x, rows, 0, 64) < before);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Step(x, x, rows, 0, 65, 0.05f));
    }
}
