using RgLens.Experiments;
using RgLens.Models;

namespace RgLens.Tests.Experiments;

/// <summary>The smallest experiment that exercises every part of the runner (about a second).</summary>
internal static class TinyExperiment
{
    public static CorrespondenceConfig Config(int threads = 2) => new()
    {
        Theta0 = new IsingParameters(0.7, 0.1),
        Length = 16,
        Compressions = [2, 4],
        Seeds = 2,
        TrainSamples = 512,
        ProbeSamples = 256,
        Epochs = 3,
        BootstrapReplicates = 20,
        TrainingCheckpoints = 4,
        Threads = threads,
        Seed = 5,
    };
}
