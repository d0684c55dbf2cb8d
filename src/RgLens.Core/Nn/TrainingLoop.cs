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

    public TrainingResult Run(float[] parameters, Optimizer optimizer, TrainingState state, CancellationToken cancellation)
    {
        int batchSize = options.BatchSize, batches = data.BatchesPerEpoch(batchSize), validation = data.ValidationRows.Length;
        long totalSteps = (long)batches * options.Epochs;
        double priorSeconds = state.History.Count > 0 ? state.History[^1].Seconds : 0;
        double lastValidation = state.History.Count > 0 ? state.History[^1].ValidationLoss : double.NaN;
        using var engine = new StepEngine(spec, parameters, optimizer, options.Loss, options.Threads, batchSize, options.Path);
        if (state.Step == 0 && state.Batch == 0) Snapshot(parameters, state);
        StopReason? stop = Stopped(state) ? StopReason.EarlyStopped : null;
        string? message = null;
        double rate = options.LearningRate;
        while (stop is null && state.Epoch < options.Epochs)
        {
            data.Arrange(state.Epoch);
            while (state.Batch < batches)
            {
                cancellation.ThrowIfCancellationRequested();
                int offset = state.Batch * batchSize, count = Math.Min(batchSize, data.TrainCount - offset);
                rate = options.LearningRate * options.Schedule.Factor(state.Step, totalSteps, state.Epoch);
                double loss = engine.Step(data.Inputs, data.Targets, data.EpochRows, offset, count, (float)rate);
                if (!double.IsFinite(loss))
                {
                    message = $"training diverged at step {state.Step + 1} (epoch {state.Epoch + 1}): the loss became {loss}; lower the learning rate (it was {rate:G3})";
                    break;
                }
                state.Step++;
                state.Batch++;
                state.EpochLossSum += loss * count;
                state.EpochSamples += count;
                _samples += count;
                Snapshot(parameters, state);
                if (options.CheckpointPath is { } path && options.CheckpointEvery > 0 && state.Step % options.CheckpointEvery == 0)
                {
                    if (!Healthy(engine, parameters, offset, count))
                    {
                        message = $"training diverged at step {state.Step} (epoch {state.Epoch + 1}): the weights no longer give a finite loss; lower the learning rate (it was {rate:G3})";
                        break;
                    }
                    CheckpointFile.Save(path, spec, fingerprint, state, parameters, optimizer);
                }
                if (options.Progress is not null && _clock.ElapsedTicks - _lastReport >= options.ProgressInterval.TotalSeconds * Stopwatch.Frequency)
                    Report(state, totalSteps, lastValidation, epochCompleted: false);
            }
            if (message is not null)
            {
                stop = StopReason.Diverged;
                break;
            }
            double train = state.EpochLossSum / Math.Max(1, state.EpochSamples);
            double valid = validation > 0 ? engine.EvaluateLoss(data.Inputs, data.Targets, data.ValidationRows, 0, validation) : double.NaN;
            double monitored = validation > 0 ? valid : train;
            int lastOffset = (batches - 1) * batchSize;
            if (!double.IsFinite(monitored) || !Healthy(engine, parameters, lastOffset, data.TrainCount - lastOffset))
            {
                message = double.IsFinite(monitored)
                    ? $"training diverged in epoch {state.Epoch + 1}: the weights no longer give a finite loss; lower the learning rate"
                    : $"training diverged in epoch {state.Epoch + 1}: the {(validation > 0 ? "validation" : "training")} loss became {monitored}; lower the learning rate";
                stop = StopReason.Diverged;
                break;
            }
            lastValidation = valid;
            state.History.Add(new EpochRecord(state.Epoch + 1, state.Step, train, valid, rate, priorSeconds + _clock.Elapsed.TotalSeconds));
            if (monitored < state.BestLoss)
            {
                state.BestLoss = monitored;
                state.BestEpoch = state.Epoch + 1;
                state.BestParameters = (float[])parameters.Clone();
                state.EpochsWithoutImprovement = 0;
            }
            else
            {
                state.EpochsWithoutImprovement++;
            }
            state.EpochEndParameters = (float[])parameters.Clone();
            state.Epoch++;
            state.Batch = 0;
            state.EpochLossSum = 0;
            state.EpochSamples = 0;
            if (options.CheckpointPath is { } epochPath && options.CheckpointEvery == 0)
                CheckpointFile.Save(epochPath, spec, fingerprint, state, parameters, optimizer);
            Report(state, totalSteps, lastValidation, epochCompleted: true);
            if (Stopped(state)) stop = StopReason.EarlyStopped;
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
            ValidationSamples = validation,
            Message = message,
            KernelPath = KernelPaths.Name(options.Path),
        };
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

    private void Report(TrainingState state, long totalSteps, double validation, bool epochCompleted)
    {
        if (options.Progress is null) return;
        _lastReport = _clock.ElapsedTicks;
        double train = epochCompleted ? state.History[^1].TrainLoss : state.EpochLossSum / Math.Max(1, state.EpochSamples);
        int epoch = epochCompleted ? state.Epoch : state.Epoch + 1;
        options.Progress(new TrainingProgress(epoch, options.Epochs, state.Step, totalSteps, train, validation,
            _samples / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9), epochCompleted));
    }
}
