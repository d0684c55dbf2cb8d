using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.Exact;
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
            // Samples are drawn in blocks of up to ChunkRows rows (int8 spins, float64 otherwise).
            MemoryBudget.RequireMatrix($"--samples {count} x --N {m.Length} (blocks of {Math.Min(ChunkRows, count)} samples)",
                Math.Min(ChunkRows, count), m.Length, m.Parameters is IsingParameters ? sizeof(sbyte) : sizeof(double));
            ulong s = CommonOptions.SeedValue(result, seed);
            int t = CommonOptions.ThreadsValue(result, threads);
            string path = result.GetValue(output)!;
            SampleFiles.RequireWritable(path);
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
                // Other families: the family's exact sampler; int8 occupations, int32 counts, float64 reals.
                var grid = model.Grid(result);
                written = m.Family.Support switch
                {
                    SupportKind.Binary => WriteFamily<sbyte>(m, count, s, t, path, format, grid, ctx.Cancellation),
                    SupportKind.Counts => WriteFamily<int>(m, count, s, t, path, format, grid, ctx.Cancellation),
                    _ => WriteFamily<double>(m, count, s, t, path, format, grid, ctx.Cancellation),
                };
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
            manifest.Results["sampler"] = ChainSampler.Describe(m.Family);
            if (m.Parameters is not (IsingParameters or GaussianParameters))
                manifest.Results["grid"] = Views.Grid(GridChainSampler.GridFor(m, model.Grid(result)));
            if (m.Parameters is IsingParameters) manifest.Results["kernel_path"] = IsingSampler.KernelPath;
            string manifestPath = path + ".run.json";
            manifest.Write(manifestPath);
            ctx.Publish();
            var summary = new JsonObject
            {
                ["out"] = path,
                ["manifest"] = manifestPath,
                ["samples"] = count,
                ["N"] = m.Length,
                ["seconds"] = Math.Round(seconds, 4),
                ["spins_per_s"] = Math.Round(count * (double)m.Length / Math.Max(seconds, 1e-9)),
                ["samples_per_s"] = Math.Round(count / Math.Max(seconds, 1e-9), 1),
                ["format"] = written,
            };
            if (result.GetValue(json)) CliJson.Write(ctx, "sample", summary);
            else ctx.Output.WriteLine($"wrote {count} samples of {m.Describe()} to {path} in {seconds:F2} s (manifest: {manifestPath})");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Samples chunk by chunk into an NPY file of element type <typeparamref name="T"/> (or one CSV); returns the format written.</summary>
    private static string WriteFamily<T>(ChainModel m, int count, ulong seed, int threads, string path, SampleFileFormat format, GridOptions grid, CancellationToken cancellation)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        if (format == SampleFileFormat.Csv)
        {
            CsvMatrix.Write(path, ChainSampler.Sample(m, count, seed, threads, cancellation, grid).Convert<T>());
            return "csv";
        }
        using var writer = new NpyRowWriter<T>(path, count, m.Length);
        for (long first = 0; first < count; first += ChunkRows)
        {
            var block = new SampleMatrix<double>((int)Math.Min(ChunkRows, count - first), m.Length);
            ChainSampler.SampleInto(m, seed, first, block, threads, cancellation, grid);
            writer.Append(block.Convert<T>());
        }
        writer.Commit();
        return "npy " + DTypeName<T>();
    }

    private static string DTypeName<T>() => typeof(T) == typeof(sbyte) ? "int8" : typeof(T) == typeof(int) ? "int32" : "float64";
}
