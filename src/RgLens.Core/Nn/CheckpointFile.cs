using System.Text.Json.Nodes;
using RgLens.IO;

namespace RgLens.Nn;

/// <summary>
/// A resumable training checkpoint: an NPZ archive like the network file (its weights are the
/// arrays <c>W1</c>, <c>b1</c>, … of the network at that step, so numpy reads it the same way) plus
/// the optimizer state (<c>optimizer_first</c>: Adam's m or SGD's momentum; <c>optimizer_second</c>:
/// Adam's v), the best and last epoch-end parameters (<c>best</c>, <c>epoch_end</c>, flat), and in
/// the header the training options and data fingerprint it belongs to and the trainer's position
/// and history. Written atomically, so a run killed at any moment leaves the previous checkpoint.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>The header's <c>format</c> field.</summary>
    public const string FormatName = "rglens-checkpoint";

    /// <summary>Everything a checkpoint holds.</summary>
    internal sealed record Content(NetworkSpec Spec, JsonObject Training, TrainingState State, float[] Parameters,
        long OptimizerSteps, float[] First, float[] Second);

    public static void Save(string path, NetworkSpec spec, JsonObject training, TrainingState state, float[] parameters, Optimizer optimizer)
    {
        var header = NetworkFile.Header(spec, FormatName);
        header["training"] = training.DeepClone();
        header["state"] = new JsonObject
        {
            ["step"] = state.Step,
            ["epoch"] = state.Epoch,
            ["batch"] = state.Batch,
            ["epoch_loss_sum"] = Number(state.EpochLossSum),
            ["epoch_samples"] = state.EpochSamples,
            ["best_loss"] = Number(state.BestLoss),
            ["best_epoch"] = state.BestEpoch,
            ["epochs_without_improvement"] = state.EpochsWithoutImprovement,
            ["optimizer_steps"] = optimizer.Steps,
            ["history"] = new JsonArray(state.History.Select(r => (JsonNode?)new JsonArray(
                r.Epoch, r.Step, Number(r.TrainLoss), Number(r.ValidationLoss), Number(r.LearningRate), Number(r.Seconds))).ToArray()),
        };
        var arrays = NetworkFile.Arrays(spec, parameters, "").ToList();
        long count = parameters.Length;
        arrays.Add(new("optimizer_first", optimizer.First, [count]));
        if (optimizer.Second.Length > 0) arrays.Add(new("optimizer_second", optimizer.Second, [count]));
        if (state.BestParameters is { } best) arrays.Add(new("best", best, [count]));
        arrays.Add(new("epoch_end", state.EpochEndParameters, [count]));
        // A checkpoint must survive the interruption it is there for: visible at once, not with the run's set.
        NpzArchive.Write(path, JsonOutput.Serialize(header), arrays, immediate: true);
    }

    /// <exception cref="DataFormatException">Missing, corrupt, truncated or inconsistent checkpoint.</exception>
    public static Content Load(string path)
    {
        using var reader = NpzArchive.Open(path, "checkpoint");
        var spec = NetworkFile.ReadSpec(reader, FormatName);
        var header = (JsonObject)JsonNode.Parse(reader.ReadHeader())!;
        try
        {
            var training = header["training"] as JsonObject ?? throw new DataFormatException($"'{path}': the header lacks 'training'.");
            var s = header["state"] as JsonObject ?? throw new DataFormatException($"'{path}': the header lacks 'state'.");
            var state = new TrainingState
            {
                Step = Field(s, "step", path).GetValue<long>(),
                Epoch = Field(s, "epoch", path).GetValue<int>(),
                Batch = Field(s, "batch", path).GetValue<int>(),
                EpochLossSum = Value(s["epoch_loss_sum"]),
                EpochSamples = Field(s, "epoch_samples", path).GetValue<long>(),
                BestLoss = Value(s["best_loss"], double.PositiveInfinity),
                BestEpoch = Field(s, "best_epoch", path).GetValue<int>(),
                EpochsWithoutImprovement = Field(s, "epochs_without_improvement", path).GetValue<int>(),
            };
            foreach (var r in Field(s, "history", path).AsArray())
            {
                var a = (r ?? throw new DataFormatException($"'{path}': a history entry is null.")).AsArray();
                if (a.Count != 6) throw new DataFormatException($"'{path}': a history entry has {a.Count} fields; expected 6.");
                int epoch = (a[0] ?? throw new DataFormatException($"'{path}': a history entry lacks its epoch.")).GetValue<int>();
                long step = (a[1] ?? throw new DataFormatException($"'{path}': a history entry lacks its step.")).GetValue<long>();
                state.History.Add(new EpochRecord(epoch, step, Value(a[2]), Value(a[3]), Value(a[4]), Value(a[5])));
            }
            var parameters = NetworkFile.ReadParameters(reader, spec, "");
            long count = parameters.Length;
            var first = reader.ReadFloats("optimizer_first", count);
            var second = reader.Contains("optimizer_second") ? reader.ReadFloats("optimizer_second", count) : [];
            if (reader.Contains("best")) state.BestParameters = reader.ReadFloats("best", count);
            state.EpochEndParameters = reader.ReadFloats("epoch_end", count);
            if (state.Step < 0 || state.Epoch < 0 || state.Batch < 0) throw new DataFormatException($"'{path}': negative position in the header.");
            return new Content(spec, training, state, parameters, Field(s, "optimizer_steps", path).GetValue<long>(), first, second);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or IndexOutOfRangeException or System.Text.Json.JsonException)
        {
            throw new DataFormatException($"'{path}': invalid checkpoint header ({e.Message.Split('\n')[0].TrimEnd('.')}).", e);
        }
    }

    /// <summary>A JSON number, or null for NaN and ±∞ (which JSON cannot hold portably).</summary>
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonNode Field(JsonObject o, string name, string path) =>
        o[name] ?? throw new DataFormatException($"'{path}': the checkpoint header lacks '{name}'.");

    private static double Value(JsonNode? node, double missing = double.NaN) => node is null ? missing : node.GetValue<double>();
}
