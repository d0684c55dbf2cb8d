using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Reporting;

namespace RgLens.Cli.Commands.Train;

/// <summary>The files of a training run: the network, the loss curve as CSV and PNG, and the manifest's result block.</summary>
public static class TrainOutputs
{
    /// <summary>Writes network.npz, loss.csv and loss.png into <paramref name="folder"/> and returns the manifest's results.</summary>
    public static JsonObject Write(string folder, TrainingResult result, bool onnx = false)
    {
        string network = Path.Combine(folder, "network.npz"), csv = Path.Combine(folder, "loss.csv"), png = Path.Combine(folder, "loss.png");
        result.Network.Save(network);
        if (onnx) Networks.OnnxExport.Save(result.Network, Path.Combine(folder, "network.onnx"));
        AtomicFile.WriteAllText(csv, Csv(result.History));
        LossChart(result.History).SavePng(png);
        var last = result.History.Count > 0 ? result.History[^1] : null;
        return new JsonObject
        {
            ["stop_reason"] = StopReasonName(result.StopReason),
            ["message"] = result.Message,
            ["best_epoch"] = result.BestEpoch,
            ["best_loss"] = JsonOutput.Number(result.BestLoss),
            ["epochs_run"] = result.History.Count,
            ["steps"] = result.Steps,
            ["final_train_loss"] = JsonOutput.Number(last?.TrainLoss ?? double.NaN),
            ["final_validation_loss"] = JsonOutput.Number(last?.ValidationLoss ?? double.NaN),
            ["train_samples"] = result.TrainSamples,
            ["validation_samples"] = result.ValidationSamples,
            ["kernel_path"] = result.KernelPath,
            ["parameters"] = result.Network.ParameterCount,
            ["files"] = onnx ? new JsonObject { ["network"] = "network.npz", ["onnx"] = "network.onnx", ["loss_csv"] = "loss.csv", ["loss_png"] = "loss.png" }
                : new JsonObject { ["network"] = "network.npz", ["loss_csv"] = "loss.csv", ["loss_png"] = "loss.png" },
        };
    }

    /// <summary>The name of a stop reason in JSON: completed, early_stopped or diverged.</summary>
    public static string StopReasonName(StopReason reason) => reason switch
    {
        StopReason.EarlyStopped => "early_stopped",
        StopReason.Diverged => "diverged",
        _ => "completed",
    };

    /// <summary>epoch,step,train_loss,validation_loss,learning_rate,seconds (empty validation_loss without a validation set).</summary>
    public static string Csv(IReadOnlyList<EpochRecord> history)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("epoch,step,train_loss,validation_loss,learning_rate,seconds\n");
        foreach (var h in history)
            text.Append(c, $"{h.Epoch},{h.Step},{h.TrainLoss:R},{(double.IsNaN(h.ValidationLoss) ? "" : h.ValidationLoss.ToString("R", c))},{h.LearningRate:R},{h.Seconds:F3}\n");
        return text.ToString();
    }

    /// <summary>Training and validation loss against epoch, on a logarithmic axis.</summary>
    public static LineChart LossChart(IReadOnlyList<EpochRecord> history)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var chart = new LineChart { Title = "Loss curve", XLabel = "epoch", YLabel = "loss", LogY = true }
            .Add(new ChartSeries("training", epochs, history.Select(h => h.TrainLoss).ToArray()));
        if (history.Any(h => !double.IsNaN(h.ValidationLoss)))
            chart.Add(new ChartSeries("validation", epochs, history.Select(h => h.ValidationLoss).ToArray()));
        return chart;
    }
}
