using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Estimation;
using RgLens.IO;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench fit</c>: time to fit (K, h) with bootstrap intervals; the reference workload is
/// 100,000 samples of N = 64 with 200 replicates (target: pseudo-likelihood under 5 s).
/// </summary>
public sealed class BenchFitCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var n = new Option<int>("--N") { Description = "Sites per sample.", DefaultValueFactory = _ => 64 };
        var samples = new Option<int>("--samples") { Description = "Samples.", DefaultValueFactory = _ => 100_000 };
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap replicates.", DefaultValueFactory = _ => 200 };
        var command = new Command("fit", "Fitting time with bootstrap CIs (pseudo-likelihood and MLE), JSON.");
        foreach (var o in new Option[] { n, samples, replicates }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int length = result.GetValue(n), count = result.GetValue(samples), reps = result.GetValue(replicates);
            if (length < 2 || count <= 0 || reps < 0) throw new UsageException("bench fit needs --N >= 2, --samples > 0, --replicates >= 0.");
            var model = new ChainModel(new IsingParameters(0.7, 0.1), length, Boundary.Periodic);
            var data = IsingSampler.Sample(model, count, 1);
            var results = new JsonArray();
            foreach (var method in new[] { EstimationMethod.PseudoLikelihood, EstimationMethod.MaximumLikelihood })
            {
                var clock = Stopwatch.StartNew();
                var fit = IsingEstimator.Fit(data, Boundary.Periodic, method, new FitOptions { Replicates = reps, Seed = 1 });
                double seconds = clock.Elapsed.TotalSeconds;
                results.Add(new JsonObject
                {
                    ["method"] = method == EstimationMethod.PseudoLikelihood ? "pseudo" : "mle",
                    ["seconds"] = Math.Round(seconds, 3),
                    ["K"] = JsonOutput.Number(fit["K"].Estimate),
                    ["h"] = JsonOutput.Number(fit["h"].Estimate),
                });
            }
            BenchJson.Write(ctx, "fit", null, new JsonObject
            {
                ["N"] = length,
                ["samples"] = count,
                ["replicates"] = reps,
                ["threads"] = Environment.ProcessorCount,
                ["truth"] = new JsonObject { ["K"] = 0.7, ["h"] = 0.1 },
                ["results"] = results,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
