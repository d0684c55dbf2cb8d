using System.CommandLine;
using RgLens.Cli.Infrastructure;
using RgLens.Estimation;
using RgLens.IO;
using RgLens.Models;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens fit</c>: the characteristic parameters of data, with bootstrap confidence intervals.</summary>
public sealed class FitCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var modelOption = new Option<string>("--model") { Description = "Chain family of the data.", DefaultValueFactory = _ => "ising" };
        var data = new Option<string>("--data") { Description = $"Data file: {CommonOptions.DataFiles}, samples x sites.", Required = true };
        var boundary = new Option<string>("--boundary") { Description = "periodic (ring) or open.", DefaultValueFactory = _ => "periodic" };
        boundary.AcceptOnlyFromAmong("periodic", "open");
        var method = new Option<string>("--method") { Description = "mle (exact maximum likelihood) or pseudo (pseudo-likelihood).", DefaultValueFactory = _ => "mle" };
        method.AcceptOnlyFromAmong("mle", "pseudo");
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap replicates (>= 0).", DefaultValueFactory = _ => 200 };
        var confidence = new Option<double>("--confidence") { Description = "Confidence level of the intervals, in (0, 1).", DefaultValueFactory = _ => 0.95 };
        var fixField = new Option<double?>("--fix-h") { Description = "Hold the field at this value and fit K only (e.g. --fix-h 0)." };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("fit", "Fit a chain's characteristic parameters to data (MLE or pseudo-likelihood) with bootstrap CIs.");
        foreach (var o in new Option[] { modelOption, data, boundary, method, replicates, confidence, fixField, seed, threads, json }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            var family = ChainFamilies.Find(result.GetValue(modelOption)!);
            int reps = result.GetValue(replicates);
            if (reps < 0) throw new UsageException($"--replicates must be >= 0; got {reps}.");
            // A bootstrap keeps every replicate's estimates: 10^6 is far beyond any interval's need and bounds that memory.
            if (reps > 1_000_000) throw new UsageException($"--replicates {reps} is more than the 1,000,000 a bootstrap interval could use; ask for fewer.");
            var options = new FitOptions
            {
                Cancellation = ctx.Cancellation,
                Replicates = reps,
                ConfidenceLevel = result.GetValue(confidence),
                Seed = CommonOptions.SeedValue(result, seed),
                Threads = CommonOptions.ThreadsValue(result, threads),
                FixedField = result.GetValue(fixField),
            };
            options.Validate(); // cheap option checks before reading a possibly large file
            var b = result.GetValue(boundary) == "open" ? Boundary.Open : Boundary.Periodic;
            var m = result.GetValue(method) == "pseudo" ? EstimationMethod.PseudoLikelihood : EstimationMethod.MaximumLikelihood;
            string dataPath = result.GetValue(data)!;
            // The family's support is checked as the file is read, so a bad value early in a large
            // file is refused before the rest is read (docs/reliability.md).
            var values = SampleFiles.LoadReal(dataPath, ValueRule.Finite.Then(SupportRule(family)));
            try
            {
                ChainEstimator.RequireChainData(family, values);
            }
            catch (DataFormatException e)
            {
                throw new DataFormatException($"'{dataPath}': {e.Message}", e);
            }
            var fit = ChainEstimator.Fit(family, values, b, m, options);
            if (result.GetValue(json))
            {
                CliJson.Write(ctx, "fit", Views.Fit(fit));
                return ExitCodes.Ok;
            }
            var table = new Table().Title(Markup.Escape($"{(m == EstimationMethod.MaximumLikelihood ? "maximum likelihood" : "pseudo-likelihood")} fit of {fit.Samples} samples x {fit.Sites} sites ({b.ToString().ToLowerInvariant()})"));
            table.AddColumn("parameter");
            table.AddColumn(new TableColumn("estimate").RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape($"{fit.ConfidenceLevel * 100:G3}% CI")).RightAligned());
            table.AddColumn(new TableColumn("bootstrap se").RightAligned());
            foreach (var e in fit.Estimates)
                table.AddRow(Markup.Escape(e.Name), Views.Cell(e.Estimate), Markup.Escape($"[{Views.Cell(e.Lower)}, {Views.Cell(e.Upper)}]"), Views.Cell(e.StandardError));
            ctx.Console.Write(table);
            foreach (var w in fit.Warnings) ctx.Output.WriteLine($"warning: {w}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The family's support as a rule checked while the file is read, with the hint of the other
    /// binary family where the refused value belongs to it (a 0 among Ising spins, a −1 among
    /// Bernoulli occupations).
    /// </summary>
    private static ValueRule SupportRule(ChainFamily family)
    {
        string outside = $"a value outside the support of the {family.Name} family ({ChainEstimator.SupportText(family.Support)})";
        return new ValueRule(family.InSupport, outside, v => outside + (family.Support, v) switch
        {
            (SupportKind.Spins, 0) => "; for 0/1 occupations use the bernoulli family (--model bernoulli), or map x to 2x - 1 to fit them as spins",
            (SupportKind.Binary, -1) => "; for -1/+1 spins use the ising family (--model ising)",
            _ => "",
        });
    }
}
