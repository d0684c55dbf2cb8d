using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The epoch loop behind <see cref="Trainer"/>: batches in each epoch's seeded order, the
/// learning-rate schedule, divergence detection, snapshots, checkpoints, validation, early
/// stopping and progress. It continues from any <see cref="TrainingState"/>, which is what makes
/// a resumed run identical to an uninterrupted one.
/// </summary>
internal sealed class TrainingLoop(NetworkSpec spec, TrainingData data, TrainerOptions options, JsonObject fingerprint)
{
    private readonly HashSet<long> _snapshots = [.. options.SnapshotSteps];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _samples;
    private long _lastReport;
    private double? _resumedSeconds;

    public TrainingResult Run(float[] parameters, Optimizer optimizer, TrainingState state, CancellationToken cancellation)
    {
        using var engine = new StepEngine(spec, parameters, optimizer, options.Loss, options.Threads, options.BatchSize, options.Path);
        if (state.Step == 0 && state.Batch == 0) Snapshot(parameters, state);
        StopReason? stop = Stopped(state) ? StopReason.EarlyStopped : null;
        string? message = null;
        while (stop is null && state.Epoch < options.Epochs)
        {
            data.Arrange(state.Epoch);
            message = RunBatches(engine, parameters, optimizer, state, cancellation) ?? CloseEpoch(engine, parameters, optimizer, state);
            if (message is not null) stop = StopReason.Diverged;
            else if (Stopped(state)) stop = StopReason.EarlyStopped;
        }
        var last = new Network(spec, (float[])state.EpochEndParameters.Clone());
        return new TrainingResult
        {
            Network = state.BestParameters is { } best ? new Network(spec, (float[])best.Clone()) : last,
            FinalNetwork = last,
            History = state.History.ToArray(),
            StopReason = stop ?? StopReason.Completed,
            BestEpoch = state.BestEpoch,
            BestLoss = state.BestParameters is null ? double.NaN : state.BestLoss,
            Steps = state.Step,
            TrainSamples = data.TrainCount,
            ValidationSamples = data.ValidationRows.Length,
            Message = message,
            KernelPath = KernelPaths.Name(options.Path),
        };
    }

    private int Batches => data.BatchesPerEpoch(options.BatchSize);

    private long TotalSteps => (long)Batches * options.Epochs;

    /// <summary>The learning rate of the update that follows <paramref name="step"/> completed steps.</summary>
    private double Rate(long step, int epoch) => options.LearningRate * options.Schedule.Factor(step, TotalSteps, epoch);

    /// <summary>The remaining batches of the current epoch; returns a divergence message or null.</summary>
    private string? RunBatches(StepEngine engine, float[] parameters, Optimizer optimizer, TrainingState state, CancellationToken cancellation)
    {
        int batchSize = options.BatchSize;
        while (state.Batch < Batches)
        {
            cancellation.ThrowIfCancellationRequested();
            int offset = state.Batch * batchSize, count = Math.Min(batchSize, data.TrainCount - offset);
            double rate = Rate(state.Step, state.Epoch);
            double loss = engine.Step(data.Inputs, data.Targets, data.EpochRows, offset, count, (float)rate);
            if (!double.IsFinite(loss))
                return $"training diverged at step {state.Step + 1} (epoch {state.Epoch + 1}): the loss became {loss}; lower the learning rate (it was {rate:G3})";
            state.Step++;
            state.Batch++;
            state.EpochLossSum += loss * count;
            state.EpochSamples += count;
            _samples += count;
            Snapshot(parameters, state);
            if (options.CheckpointPath is { } path && options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0)
            {
                if (!Healthy(engine, parameters, offset, count))
                    return $"training diverged at step {state.Step} (epoch {state.Epoch + 1}): the weights no longer give a finite loss; lower the learning rate (it was {rate:G3})";
                CheckpointFile.Save(path, spec, fingerprint, state, parameters, optimizer);
            }
            if (options.Progress is not null && _clock.ElapsedTicks - _lastReport >= options.ProgressInterval.TotalSeconds * Stopwatch.Frequency)
                Report(state, epochCompleted: false);
        }
        return null;
    }

    /// <summary>Validation, the loss curve, early-stopping bookkeeping and the epoch's checkpoint; returns a divergence message or null.</summary>
    private string? CloseEpoch(StepEngine engine, float[] parameters, Optimizer optimizer, TrainingState state)
    {
        int validation = data.ValidationRows.Length, lastOffset = (Batches - 1) * options.BatchSize;
        double train = state.EpochLossSum / Math.Max(1, state.EpochSamples);
        double valid = validation > 0 ? engine.EvaluateLoss(data.Inputs, data.Targets, data.ValidationRows, 0, validation) : double.NaN;
        double monitored = validation > 0 ? valid : train;
        if (!double.IsFinite(monitored))
            return $"training diverged in epoch {state.Epoch + 1}: the {(validation > 0 ? "validation" : "training")} loss became {monitored}; lower the learning rate";
        if (!Healthy(engine, parameters, lastOffset, data.TrainCount - lastOffset))
            return $"training diverged in epoch {state.Epoch + 1}: the weights no longer give a finite loss; lower the learning rate";
        double priorSeconds = _resumedSeconds ??= state.History.Count > 0 ? state.History[^1].Seconds : 0;
        state.History.Add(new EpochRecord(state.Epoch + 1, state.Step, train, valid, Rate(state.Step - 1, state.Epoch), priorSeconds + _clock.Elapsed.TotalSeconds));
        bool significant = !(state.BestLoss < double.PositiveInfinity) || monitored < state.BestLoss * (1 - options.MinRelativeImprovement);
        if (monitored < state.BestLoss)
        {
            state.BestLoss = monitored;
            state.BestEpoch = state.Epoch + 1;
            state.BestParameters = (float[])parameters.Clone();
        }
        if (significant) state.EpochsWithoutImprovement = 0;
        else state.EpochsWithoutImprovement++;
        state.EpochEndParameters = (float[])parameters.Clone();
        state.Epoch++;
        state.Batch = 0;
        state.EpochLossSum = 0;
        state.EpochSamples = 0;
        if (options.CheckpointPath is { } path && options.CheckpointEvery == 0)
            CheckpointFile.Save(path, spec, fingerprint, state, parameters, optimizer);
        Report(state, epochCompleted: true);
        return null;
    }

    /// <summary>
    /// Whether the current weights are fit to keep: all finite, and a finite loss on the batch just
    /// used. A step's loss only vouches for the weights before it, so nothing is written to a
    /// checkpoint or kept as "last good" without this check.
    /// </summary>
    private bool Healthy(StepEngine engine, float[] parameters, int offset, int count)
    {
        foreach (float v in parameters)
            if (!float.IsFinite(v)) return false;
        return double.IsFinite(engine.EvaluateLoss(data.Inputs, data.Targets, data.EpochRows, offset, count));
    }

    private bool Stopped(TrainingState state) => options.Patience > 0 && state.EpochsWithoutImprovement >= options.Patience;

    private void Snapshot(float[] parameters, TrainingState state)
    {
        if (options.OnSnapshot is null || !_snapshots.Contains(state.Step)) return;
        options.OnSnapshot(new NetworkSnapshot(state.Step, state.Step == 0 ? 0 : state.Epoch + 1, new Network(spec, (float[])parameters.Clone())));
    }

    private void Report(TrainingState state, bool epochCompleted)
    {
        if (options.Progress is null) return;
        _lastReport = _clock.ElapsedTicks;
        double train = epochCompleted ? state.History[^1].TrainLoss : state.EpochLossSum / Math.Max(1, state.EpochSamples);
        double validation = state.History.Count > 0 ? state.History[^1].ValidationLoss : double.NaN;
        int epoch = epochCompleted ? state.Epoch : state.Epoch + 1;
        options.Progress(new TrainingProgress(epoch, options.Epochs, state.Step, TotalSteps, train, validation,
            _samples / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9), epochCompleted));
    }
}
