using System.Diagnostics;
using RgLens.Claims;
using RgLens.Data;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Results;
using RgLens.Sources;

namespace RgLens.Experiments;

/// <summary>
/// The correspondence experiment, as stages: RG side → data sources → networks in every condition
/// (trained; controls: untrained, trained on null data) → gauge-fixed readings → claims. Every
/// network of a seed index shares its initialization seed and its probe samples across
/// conditions, so the conditions differ only by what the network was trained on. Networks run in
/// parallel, one trainer thread each, each on its own derived seed, so the result does not depend
/// on <see cref="CorrespondenceConfig.Threads"/>. Nothing is tuned toward the expected answer.
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
        var readings = config.Readings.Select(Readings.Get).ToArray();
        var controls = config.Controls.Select(Conditions.Control).ToArray();
        var claims = config.Claims.Select(ClaimRegistry.Get).ToArray();

        // RG side.
        int depth = CorrespondenceConfig.FeatureLayer(config.DeepestCompression);
        var flow = RgFlow.Run(config.Theta0, 2, depth);
        var byCompression = config.Compressions.Distinct().ToDictionary(b => b, b => RgFlow.Decimate(config.Theta0, b));
        var rg = new RgSide(flow, byCompression);
        timings["rg"] = Lap(clock);

        // Data: probe samples of θ0 per seed (shared by every condition), training data per condition and seed.
        // User data: a seeded quarter (at most ProbeSamples rows) is held out to read the layers; the rest trains.
        SampleMatrix<float>? userProbe = null, userTrain = null;
        if (config.UserData is { } user)
        {
            var order = RandomStream.For(config.Seed, "user-data-split").Permutation(user.Rows);
            int p = config.EffectiveProbeSamples;
            userProbe = user.SelectRows(order.AsSpan(0, p)).Convert<float>();
            userTrain = user.SelectRows(order.AsSpan(p)).Convert<float>();
        }
        var sourceContext = new SourceContext(config.InputModel, config.Theta0.Family.Create(rg.FixedPoint.ToArray()), userTrain);
        string trainedOn = config.EffectiveTrainingSource;
        var conditions = new List<Condition> { new(Conditions.Trained, "trained on " + trainedOn, trainedOn) };
        conditions.AddRange(controls);
        var probe = new SampleMatrix<float>[config.Seeds];
        var data = new Dictionary<(string Condition, Objective Objective, int Seed), (SampleMatrix<float> Inputs, SampleMatrix<float>? Targets)>();
        for (int s = 0; s < config.Seeds; s++)
        {
            probe[s] = userProbe ?? new ModelSource(config.InputModel).Sample(config.ProbeSamples, RandomStream.Derive(config.Seed, "probe-data", s), config.Threads, cancellation);
            foreach (var condition in conditions.Where(c => c.TrainingSource is not null))
            {
                var source = DataSources.Create(condition.TrainingSource!, sourceContext);
                string purpose = condition.Id == Conditions.Trained ? "" : condition.Id + "-";
                SampleMatrix<float>? plain = null;
                if (config.Objectives.Contains(Objective.Autoencoder))
                    data[(condition.Id, Objective.Autoencoder, s)] = (plain = source.Sample(config.TrainSamples, RandomStream.Derive(config.Seed, purpose + "train-data", s), config.Threads, cancellation), null);
                if (config.Objectives.Contains(Objective.Supervised))
                {
                    var (inputs, targets) = SupervisedDataset.Build(config, RandomStream.Derive(config.Seed, purpose + "supervised-data", s), cancellation);
                    // Any other source keeps the targets and replaces the inputs: the labels then carry nothing the inputs show.
                    if (source is not ModelSource) inputs = plain ?? source.Sample(config.TrainSamples, RandomStream.Derive(config.Seed, purpose + "train-data", s), config.Threads, cancellation);
                    data[(condition.Id, Objective.Supervised, s)] = (inputs, targets);
                }
            }
        }
        timings["sampling"] = Lap(clock);

        // Networks in every condition.
        var jobs = (from objective in config.Objectives
                    from b in config.Compressions.Distinct().OrderBy(b => b)
                    from s in Enumerable.Range(0, config.Seeds)
                    select (objective, b, s)).ToArray();
        var runs = new NetworkRun[jobs.Length][];
        string kernelPath = "";
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = config.Threads, CancellationToken = cancellation };
        // The deepest pyramids train longest: start them first so the cores finish together. Results
        // are stored by job index, so the schedule never changes the output.
        var schedule = Enumerable.Range(0, jobs.Length).OrderByDescending(i => jobs[i].b).ThenBy(i => i).ToArray();
        Parallel.ForEach(schedule, options, i =>
        {
            var (objective, b, s) = jobs[i];
            var probeTargets = objective == Objective.Supervised ? Repeat(config.Theta0.Values(), probe[s].Rows) : null;
            runs[i] = conditions.Select(c => RunCondition(config, c, objective, b, s, readings, c.TrainingSource is null ? default : data[(c.Id, objective, s)],
                probe[s], probeTargets, ref kernelPath, cancellation)).ToArray();
            int n = Interlocked.Increment(ref done);
            progress?.Invoke(new ExperimentProgress(n, jobs.Length, $"{NnNames.Name(objective)} b={b} seed={s}"));
        });
        var all = conditions.SelectMany((c, ci) => runs.Select(r => r[ci])).ToArray();
        timings["networks"] = Lap(clock);

        // Claims.
        var uncertainty = config.UserFit?.TargetUncertainty(config.Compressions, depth, RandomStream.Derive(config.Seed, "target-uncertainty"));
        var context = new ClaimContext(config.Theta0, rg, config.Compressions.Distinct().Order().ToArray(), config.Seeds, config.Margin, config.ConfidenceLevel, all, uncertainty);
        var outcomes = ClaimEvaluator.Evaluate(context, claims, config.Objectives, readings, controls);
        outcomes = outcomes.Where(o => o.Primary).Concat(outcomes.Where(o => !o.Primary)).ToArray();
        timings["claims"] = Lap(clock);
        return new CorrespondenceResult(config, rg, all, outcomes, context, timings, kernelPath);
    }

    /// <summary>The network seed of one job: shared by every condition (so the untrained control is the trained network's initialization).</summary>
    public static ulong NetworkSeed(CorrespondenceConfig config, Objective objective, int compression, int seedIndex) =>
        RandomStream.Derive(config.Seed, "network", ((int)objective * 64 + CorrespondenceConfig.FeatureLayer(compression)) * 4096 + seedIndex);

    /// <summary>The architecture of one job.</summary>
    public static NetworkSpec Spec(CorrespondenceConfig config, Objective objective, int compression)
    {
        var widths = Enumerable.Range(0, CorrespondenceConfig.FeatureLayer(compression) + 1).Select(l => config.Length >> l).ToArray();
        if (config.Architecture == "conv")
            return NetworkSpec.ConvPyramid(widths, config.Channels, config.Kernel, config.Boundary == Boundary.Periodic ? Padding.Circular : Padding.Zero,
                objective, objective == Objective.Supervised ? config.Theta0.Values().Length : 0, config.Activation);
        return objective == Objective.Autoencoder
            ? NetworkSpec.Autoencoder(widths, config.Activation)
            : NetworkSpec.Supervised(widths, config.Theta0.Values().Length, config.Activation);
    }

    private static NetworkRun RunCondition(CorrespondenceConfig config, Condition condition, Objective objective, int b, int s, IReadOnlyList<IReading> readings,
        (SampleMatrix<float> Inputs, SampleMatrix<float>? Targets) data, SampleMatrix<float> probe, SampleMatrix<float>? probeTargets,
        ref string kernelPath, CancellationToken cancellation)
    {
        var spec = Spec(config, objective, b);
        ulong seed = NetworkSeed(config, objective, b, s);
        ulong readingSeed = RandomStream.Derive(seed, "probe-" + condition.Id);
        bool trainedHere = condition.Id == Conditions.Trained;
        if (trainedHere && config.UserNetwork is { } given)
        {
            var read = NetworkProbe.Layers(given, probe, readings, config.Boundary, config.BootstrapReplicates, readingSeed, orderFree: true, cancellation: cancellation);
            return new NetworkRun(condition.Id, objective, s, b, spec.Widths.Take(read.Count + 1).ToArray(), null, read, []);
        }
        if (condition.TrainingSource is null)
        {
            var initial = Network.Create(spec, seed);
            Keep(config, initial, condition.Id, objective, b, s);
            var layers0 = NetworkProbe.Layers(initial, probe, readings, config.Boundary, config.BootstrapReplicates, readingSeed, orderFree: false, cancellation: cancellation);
            return new NetworkRun(condition.Id, objective, s, b, spec.Widths.Take(layers0.Count + 1).ToArray(), null, layers0, []);
        }
        bool deepest = b == config.DeepestCompression;
        var snapshots = new List<NetworkSnapshot>();
        int batches = (int)Math.Ceiling(data.Inputs.Rows * 0.9 / config.BatchSize);
        var trainer = new TrainerOptions
        {
            LearningRate = config.LearningRate,
            BatchSize = config.BatchSize,
            Epochs = config.Epochs,
            Patience = config.Patience,
            MinRelativeImprovement = config.MinRelativeImprovement,
            ValidationFraction = 0.1,
            Seed = seed,
            Threads = 1,
            SnapshotSteps = deepest ? SnapshotSteps((long)batches * config.Epochs, config.TrainingCheckpoints) : [],
            OnSnapshot = deepest ? snapshots.Add : null,
        };
        var clock = Stopwatch.StartNew();
        var trained = Trainer.Train(spec, data.Inputs, data.Targets, trainer, cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        kernelPath = trained.KernelPath;
        Keep(config, trained.Network, condition.Id, objective, b, s);
        var summary = new TrainingSummary(trained.History.Count, trained.BestEpoch, trained.BestLoss, trained.StopReason, trained.Steps, trained.History, seconds);
        var layers = NetworkProbe.Layers(trained.Network, probe, readings, config.Boundary, config.BootstrapReplicates, readingSeed, orderFree: trainedHere, cancellation: cancellation);
        var along = snapshots.Select(snap => new TrainingCheckpoint(snap.Step, snap.Epoch, NetworkProbe.ProbeLoss(snap.Network, probe, probeTargets),
                NetworkProbe.Layers(snap.Network, probe, readings, config.Boundary, 0, RandomStream.Derive(readingSeed, "checkpoint", snap.Step), false, featureOnly: true, cancellation)[0]))
            .ToList();
        long bestStep = trained.BestEpoch >= 1 ? trained.History[trained.BestEpoch - 1].Step : 0;
        if (deepest && (along.Count == 0 || along[^1].Step < bestStep))
            along.Add(new TrainingCheckpoint(bestStep, trained.BestEpoch, NetworkProbe.ProbeLoss(trained.Network, probe, probeTargets),
                NetworkProbe.Layers(trained.Network, probe, readings, config.Boundary, 0, RandomStream.Derive(readingSeed, "checkpoint", bestStep), false, featureOnly: true, cancellation)[0]));
        return new NetworkRun(condition.Id, objective, s, b, spec.Widths.Take(layers.Count + 1).ToArray(), summary, layers, along);
    }

    private static void Keep(CorrespondenceConfig config, Network network, string condition, Objective objective, int b, int s)
    {
        if (config.NetworkFolder is not { } folder) return;
        IO.OutputFolder.CreateTracked(folder);
        string stem = Path.Combine(folder, $"{condition}-{NnNames.Name(objective)}-b{b}-seed{s}");
        network.Save(stem + ".npz");
        Networks.OnnxExport.Save(network, stem + ".onnx");
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
