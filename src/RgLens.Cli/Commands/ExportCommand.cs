using System.CommandLine;
using RgLens.Cli.Infrastructure;
using RgLens.Networks;
using RgLens.Nn;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens export</c>: writes an RgLens network as an ONNX model (docs/networks.md).</summary>
public sealed class ExportCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var network = new Option<string>("--network") { Description = "RgLens network file (.npz, as written by 'rglens train').", Required = true };
        var to = new Option<string>("--to") { Description = "The ONNX file to write (.onnx).", Required = true };
        var command = new Command("export", "Write an RgLens network, dense or convolutional, as an ONNX model (opset 17; deterministic bytes).");
        command.Options.Add(network);
        command.Options.Add(to);
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var ctx = context();
            string target = result.GetValue(to)!;
            if (!Path.GetExtension(target).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--to '{target}': name the ONNX file with the .onnx extension.");
            string source = result.GetValue(network)!;
            if (Path.GetExtension(source).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"'{source}' is ONNX already; export takes an RgLens network (.npz, from train or correspond --keep-networks).");
            RgLens.IO.OutputFolder.ForFile(target, "--to"); // an unwritable place is refused before the network is read
            var net = Network.Load(result.GetValue(network)!);
            long bytes = OnnxExport.Save(net, target);
            ctx.Publish();
            if (result.GetValue(json))
                CliJson.Write(ctx, "export", new System.Text.Json.Nodes.JsonObject
                {
                    ["network"] = result.GetValue(network),
                    ["onnx"] = target,
                    ["opset"] = OnnxExport.Opset,
                    ["architecture"] = net.Spec.Describe(),
                    ["bytes"] = bytes,
                });
            else ctx.Output.WriteLine($"wrote {target}: ONNX opset {OnnxExport.Opset}, {net.Spec.Describe()}, {bytes} bytes");
            return ExitCodes.Ok;
        });
        return command;
    }
}
