using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.IO;
using RgLens.Networks;

namespace RgLens.Cli.Commands;

/// <summary>
/// <c>rglens eval</c>: runs a network (RgLens NPZ or ONNX) on data and reports its mean squared
/// error against targets, or against the input for a network whose output is as wide as its
/// input (an autoencoder); optionally writes the per-sample outputs as NPY or CSV.
/// </summary>
public sealed class EvalCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var network = new Option<string>("--network") { Description = "Network file: RgLens .npz or ONNX .onnx.", Required = true };
        var data = new Option<string>("--data") { Description = $"Input data: {CommonOptions.DataFiles}, samples x inputs.", Required = true };
        var targets = new Option<string?>("--targets") { Description = $"Targets: {CommonOptions.DataFiles}, samples x outputs (default: the input, for an autoencoder)." };
        var outPath = new Option<string?>("--out") { Description = "Write the per-sample outputs here (.npy or .csv), samples x outputs." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var threads = CommonOptions.Threads();
        var command = new Command("eval", "Run a network (RgLens or ONNX) on data: the loss and, optionally, the per-sample outputs.");
        foreach (var o in new Option[] { network, data, targets, outPath, json, threads }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int t = CommonOptions.ThreadsValue(result, threads);
            string? output = result.GetValue(outPath);
            if (output is not null)
            {
                SampleFiles.RequireWritable(output); // a bad extension or an unwritable place is refused before the work
                OutputFolder.ForFile(output, "--out");
            }
            string dataPath = result.GetValue(data)!, targetPath = result.GetValue(targets) ?? "";
            var input = SampleFiles.Load<float>(dataPath, ValueRule.FiniteSingle);
            if (input.Rows == 0) throw new DataFormatException($"'{dataPath}' holds no samples.");
            using var source = NetworkSources.Open(result.GetValue(network)!, layers: [], threads: t);
            if (source.InputWidth is int n && n != input.Columns)
                throw new DataFormatException($"'{dataPath}' has {input.Columns} values per sample; the network '{source.Path}' takes {n} inputs.");
            var y = source.Run(input).Output.Values;
            SampleMatrix<float> reference;
            if (targetPath.Length > 0)
            {
                reference = SampleFiles.Load<float>(targetPath, ValueRule.FiniteSingle);
                // A 1-D array (read as one row) of one target per sample, PyTorch's usual label
                // shape (n,), is the column the single output is scored against.
                if (y.Columns == 1 && y.Rows > 1 && reference.Rows == 1 && reference.Columns == y.Rows)
                    reference = new SampleMatrix<float>(reference.Data, y.Rows, 1);
                if (reference.Rows != y.Rows || reference.Columns != y.Columns)
                    throw new DataFormatException($"'{targetPath}' is {reference.Rows} x {reference.Columns}; the network's outputs are {y.Rows} x {y.Columns}.");
            }
            else
            {
                if (y.Columns != input.Columns)
                    throw new UsageException($"the network maps {input.Columns} inputs to {y.Columns} outputs; give --targets (only an autoencoder is scored against its input).");
                reference = input;
            }
            double mse = MeanSquaredError(y, reference, targetPath);
            if (output is not null) SampleFiles.Save(output, y);
            ctx.Publish();
            string against = targetPath.Length > 0 ? "targets" : "input";
            if (result.GetValue(json))
            {
                CliJson.Write(ctx, "eval", new JsonObject
                {
                    ["network"] = source.Path,
                    ["format"] = source.Format == NetworkFormat.Onnx ? "onnx" : "rglens",
                    ["samples"] = y.Rows,
                    ["input_width"] = input.Columns,
                    ["output_width"] = y.Columns,
                    ["loss"] = new JsonObject { ["kind"] = "mse", ["against"] = against, ["value"] = JsonOutput.Number(mse) },
                    ["outputs"] = output,
                });
                return ExitCodes.Ok;
            }
            ctx.Output.WriteLine($"network: {source.Path} ({(source.Format == NetworkFormat.Onnx ? "ONNX" : "RgLens")}), {y.Rows} samples, {input.Columns} inputs -> {y.Columns} outputs");
            ctx.Output.WriteLine($"mse against the {against}: {mse:G6}");
            if (output is not null) ctx.Output.WriteLine($"outputs: {output}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>mean over samples and units of (y − t)², in double; targets must be finite.</summary>
    private static double MeanSquaredError(SampleMatrix<float> y, SampleMatrix<float> t, string targetPath)
    {
        double sum = 0;
        for (long i = 0; i < y.Data.LongLength; i++)
        {
            if (!float.IsFinite(t.Data[i]))
                throw new DataFormatException($"'{targetPath}' holds {t.Data[i]} at row {i / t.Columns + 1}, column {i % t.Columns + 1}; targets must be finite.");
            double d = (double)y.Data[i] - t.Data[i];
            sum += d * d;
        }
        return sum / y.Data.LongLength;
    }
}
