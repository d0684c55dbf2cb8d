using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.IO;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens sample</c>: exact independent samples to NPY (int8) or CSV, with a manifest beside them.</summary>
public sealed class SampleCommand : ICliCommand
{
    /// <summary>Rows sampled and written per chunk, so memory stays bounded for any sample count.</summary>
    private const int ChunkRows = IsingSampler.RowsPerStream * 256;

    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var model = new ModelOptions();
        var samples = new Option<int>("--samples") { Description = "Number of independent samples (> 0).", DefaultValueFactory = _ => 1000 };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var output = new Option<string>("--out") { Description = "Output file: .npy (samples x N; int8 for Ising spins, float64 otherwise) or .csv.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the run summary as JSON." };
        var command = new Command("sample", "Exact independent samples of a chain (transfer-matrix forward sampling).");
        model.AddTo(command);
        foreach (var o in new Option[] { samples, seed, threads, output, json }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            var m = model.Bind(result);
            int count = result.GetValue(samples);
            if (count <= 0) throw new UsageException($"--samples must be > 0; got {count}.");
            ulong s = CommonOptions.SeedValue(result, seed);
            int t = CommonOptions.ThreadsValue(result, threads);
            string path = result.GetValue(output)!;
            var format = SampleFiles.FormatOf(path);

            var manifest = new RunManifest("sample", ctx.CommandLine, s);
            manifest.Parameters["model"] = m.Family.Name;
            manifest.Parameters["parameters"] = Views.Parameters(m.Parameters);
            manifest.Parameters["N"] = m.Length;
            manifest.Parameters["boundary"] = m.Boundary.ToString().ToLowerInvariant();
            manifest.Parameters["samples"] = count;
            manifest.Parameters["threads"] = t;
            var clock = Stopwatch.StartNew();
            string written;
            if (m.Parameters is not IsingParameters)
            {
                // Other families: float64 samples from the family's exact sampler.
                SampleFiles.Save(path, ChainSampler.Sample(m, count, s, t, ctx.Cancellation));
                written = format == SampleFileFormat.Npy ? "npy float64" : "csv";
            }
            else if (format == SampleFileFormat.Npy)
            {
                using var writer = new NpyRowWriter<sbyte>(path, count, m.Length);
                for (long first = 0; first < count; first += ChunkRows)
                {
                    int rows = (int)Math.Min(ChunkRows, count - first);
                    var block = new SampleMatrix<sbyte>(rows, m.Length);
                    IsingSampler.SampleInto(m, s, first, block, t, ctx.Cancellation);
                    writer.Append(block);
                }
                writer.Commit();
                written = "npy int8";
            }
            else
            {
                CsvMatrix.Write(path, IsingSampler.Sample(m, count, s, t, ctx.Cancellation));
                written = "csv";
            }
            double seconds = clock.Elapsed.TotalSeconds;
            manifest.AddTiming("sample_and_write", seconds);
            manifest.Results["file"] = Path.GetFileName(path);
            manifest.Results["format"] = written;
            manifest.Results["kernel_path"] = IsingSampler.KernelPath;
            string manifestPath = path + ".run.json";
            manifest.Write(manifestPath);
            var summary = new JsonObject
            {
                ["out"] = path,
                ["manifest"] = manifestPath,
                ["samples"] = count,
                ["N"] = m.Length,
                ["seconds"] = Math.Round(seconds, 4),
                ["spins_per_s"] = Math.Round(count * (double)m.Length / Math.Max(seconds, 1e-9)),
            };
            if (result.GetValue(json)) JsonOutput.Write(ctx.Output, summary);
            else ctx.Output.WriteLine($"wrote {count} samples of {m.Describe()} to {path} in {seconds:F2} s (manifest: {manifestPath})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
