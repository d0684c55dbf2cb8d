using System.Diagnostics;
using RgLens.Comparison;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Sampling;

namespace RgLens.Experiments;

/// <summary>
/// The correspondence experiment of theory.md §4: sample θ0, run the exact RG, train pyramids of
/// fully connected networks for every objective, compression and seed, read every encoder layer's
/// output system on fresh samples, combine over seeds and compare with the RG. Networks run in
/// parallel, one trainer thread each, every one on its own derived seed, so the result does not
/// depend on <see cref="CorrespondenceConfig.Threads"/>. Nothing is tuned toward the expected answer.
/// </summary>
public static class CorrespondenceExperiment
{
    /// <summary>Runs the experiment.</summary>
    /// <exception cref="ArgumentException">An invalid configuration (one line).</exception>
    public static CorrespondenceResult Run(CorrespondenceConfig config, Action<ExperimentProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var timings = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();

        // RG side.
        int depth = VerdictBuilder.Log2(config.DeepestCompression);
        var flow = RgFlow.Run(config.Theta0, 2, depth);
        var byCompression = config.Compressions.Distinct().ToDictionary(b => b, b => RgFlow.Decimate(config.Theta0, b));
        var rg = new RgSide(flow, byCompression);
        timings["rg"] = Lap(clock);

        // Data per seed: training samples (per objective) and fresh probe samples of θ0.
        var model = config.InputModel;
        var probe = new SampleMatrix<float>[config.Seeds];
        var autoencoderData = new SampleMatrix<float>[config.Seeds];
        var supervisedData = new (SampleMatrix<float> Inputs, SampleMatrix<float> Targets)[config.Seeds];
        for (int s = 0; s < config.Seeds; s++)
        {
            probe[s] = ChainSampler.Sample(model, config.ProbeSamples, RandomStream.Derive(config.Seed, "probe-data", s), config.Threads, cancellation).Convert<float>();
            if (config.Objectives.Contains(Objective.Autoencoder))
                autoencoderData[s] = ChainSampler.Sample(model, config.TrainSamples, RandomStream.Derive(config.Seed, "train-data", s), config.Threads, cancellation).Convert<float>();
            if (config.Objectives.Contains(Objective.Supervised))
                supervisedData[s] = SupervisedDataset.Build(config, RandomStream.Derive(config.Seed, "supervised-data", s), cancellation);
        }
        timings["sampling"] = Lap(clock);

        // Networks.
        var jobs = (from objective in config.Objectives
                    from b in config.Compressions.Distinct().OrderBy(b => b)
                    from s in Enumerable.Range(0, config.Seeds)
                    select (objective, b, s)).ToArray();
        var runs = new NetworkRun[jobs.Length];
        string kernelPath = "";
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = config.Threads, CancellationToken = cancellation };
        // The deepest pyramids train longest: start them first so the cores finish together. Results
        // are stored by job index, so the schedule never changes the output.
        var schedule = Enumerable.Range(0, jobs.Length).OrderByDescending(i => jobs[i].b).ThenBy(i => i).ToArray();
        Parallel.ForEach(schedule, options, i =>
        {
            var (objective, b, s) = jobs[i];
            var (inputs, targets) = objective == Objective.Autoencoder ? (autoencoderData[s], (SampleMatrix<float>?)null) : (supervisedData[s].Inputs, supervisedData[s].Targets);
            var probeTargets = objective == Objective.Supervised ? Repeat(config.Theta0.Values(), probe[s].Rows) : null;
            runs[i] = TrainAndRead(config, objective, b, s, inputs, targets, probe[s], probeTargets, out string path, cancellation);
            kernelPath = path;
            int n = Interlocked.Increment(ref done);
            progress?.Invoke(new ExperimentProgress(n, jobs.Length, $"{NnNames.Name(objective)} b={b} seed={s}"));
        });
        timings["networks"] = Lap(clock);

        // Combine, compare.
        var combined = Combine(config, runs);
        var verdicts = VerdictBuilder.Verdicts(config, rg, combined);
        var flows = VerdictBuilder.Flows(config, combined);
        var trends = VerdictBuilder.Trends(config, rg, runs);
        timings["compare"] = Lap(clock);
        return new CorrespondenceResult(config, rg, runs, combined, verdicts, flows, trends, timings, kernelPath);
    }

    private static NetworkRun TrainAndRead(CorrespondenceConfig config, Objective objective, int b, int s,
        SampleMatrix<float> inputs, SampleMatrix<float>? targets, SampleMatrix<float> probe, SampleMatrix<float>? probeTargets,
        out string kernelPath, CancellationToken cancellation)
    {
        var widths = Enumerable.Range(0, VerdictBuilder.Log2(b) + 1).Select(l => config.Length >> l).ToArray();
        var spec = objective == Objective.Autoencoder
            ? NetworkSpec.Autoencoder(widths, config.Activation)
            : NetworkSpec.Supervised(widths, config.Theta0.Values().Length, config.Activation);
        ulong seed = RandomStream.Derive(config.Seed, "network", ((int)objective * 64 + VerdictBuilder.Log2(b)) * 4096 + s);
        bool deepest = b == config.DeepestCompression;
        var snapshots = new List<NetworkSnapshot>();
        int batches = (int)Math.Ceiling(inputs.Rows * 0.9 / config.BatchSize);
        var trainer = new TrainerOptions
        {
            LearningRate = config.LearningRate,
            BatchSize = config.BatchSize,
            Epochs = config.Epochs,
            Patience = config.Patience,
            ValidationFraction = 0.1,
            Seed = seed,
            Threads = 1,
            SnapshotSteps = deepest ? SnapshotSteps((long)batches * config.Epochs, config.TrainingCheckpoints) : [],
            OnSnapshot = deepest ? snapshots.Add : null,
        };
        var clock = Stopwatch.StartNew();
        var trained = Trainer.Train(spec, inputs, targets, trainer, cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        kernelPath = trained.KernelPath;
        var summary = new TrainingSummary(trained.History.Count, trained.BestEpoch, trained.BestLoss, trained.StopReason, trained.Steps, trained.History, seconds);
        var continuous = config.ReadingFamily(LayerReading.Continuous);
        var layers = NetworkProbe.Layers(trained.Network, probe, config.Readings, config.Boundary, config.BootstrapReplicates,
            RandomStream.Derive(seed, "probe"), allPairs: true, continuous, cancellation);
        var along = snapshots.Select(snap => new TrainingCheckpoint(snap.Step, snap.Epoch,
                NetworkProbe.ProbeLoss(snap.Network, probe, probeTargets),
                NetworkProbe.Layers(snap.Network, probe, config.Readings, config.Boundary, 0, RandomStream.Derive(seed, "checkpoint", snap.Step), allPairs: false, continuous, cancellation)))
            .ToArray();
        return new NetworkRun(objective, s, b, widths, summary, layers, along);
    }

    /// <summary>Step 0 and log-spaced steps up to <paramref name="maxSteps"/>.</summary>
    internal static long[] SnapshotSteps(long maxSteps, int count)
    {
        if (count <= 1 || maxSteps < 1) return [0];
        var steps = new SortedSet<long> { 0 };
        for (int i = 0; i < count - 1; i++)
            steps.Add((long)Math.Round(Math.Pow(maxSteps, i / (double)(count - 2))));
        return steps.ToArray();
    }

    private static IReadOnlyList<CombinedEstimate> Combine(CorrespondenceConfig config, IReadOnlyList<NetworkRun> runs)
    {
        var list = new List<CombinedEstimate>();
        foreach (var group in runs.GroupBy(r => (r.Objective, r.Compression)))
        {
            var seeds = group.OrderBy(r => r.SeedIndex).ToArray();
            for (int li = 0; li < seeds[0].Layers.Count; li++)
                foreach (var reading in config.Readings)
                {
                    var measurements = seeds.Select(r => r.Layers[li].Readings.First(m => m.Reading == reading)).ToArray();
                    var names = measurements[0].Parameters.Select(p => p.Name).ToArray();
                    var parameters = names.Select(n => SeedAggregation.Combine(measurements.Select(m => m[n]).ToArray(), config.ConfidenceLevel)).ToArray();
                    ParameterEstimate? maxJ = measurements.All(m => m.MaxAbsCoupling is not null)
                        ? Spread("max|J|", measurements.Select(m => m.MaxAbsCoupling!.Value).ToArray(), config.ConfidenceLevel) : null;
                    var mi = Spread("multi_information", measurements.Select(m => m.MultiInformation).ToArray(), config.ConfidenceLevel);
                    list.Add(new CombinedEstimate(group.Key.Objective, group.Key.Compression, seeds[0].Layers[li].Layer, reading, parameters, maxJ, mi));
                }
        }
        return list;
    }

    /// <summary>A per-seed point value combined over seeds (no per-seed interval: the seeds' spread is the interval).</summary>
    private static ParameterEstimate Spread(string name, double[] values, double level) =>
        SeedAggregation.Combine(values.Select(v => new ParameterEstimate(name, v, v, v, 0)).ToArray(), level);

    private static SampleMatrix<float> Repeat(double[] values, int rows)
    {
        var m = new SampleMatrix<float>(rows, values.Length);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < values.Length; c++) m[r, c] = (float)values[c];
        return m;
    }

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(s, 3);
    }
}
