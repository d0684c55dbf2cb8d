using RgLens.Claims;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.Nn;
using Spectre.Console;

namespace RgLens.Cli.Commands.Correspond;

/// <summary>The terminal summary of a correspondence run: the claims table first, then one line per further claim.</summary>
public static class Summary
{
    /// <summary>Writes the summary.</summary>
    public static void Write(CliContext ctx, CorrespondenceResult r, string folder, double seconds)
    {
        var star = r.Rg.Flow.FixedPoint;
        var head = r.Headline;
        string objective = NnNames.Name(r.Config.Objectives[0]);
        var table = new Table().Title(Markup.Escape($"claims ({objective}, {r.Config.Readings[0]} reading; margin δ = {Views.Short(r.Config.Margin)}, {r.Config.ConfidenceLevel:P0} intervals, Holm-adjusted)"));
        var columns = new List<string> { "claim", "verdict", "trained [CI]", "target" };
        columns.AddRange(r.Config.Controls.Select(c => c.Replace('_', ' ')));
        foreach (var h in columns) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var c in head)
        {
            var d = c.Trained.Deciding;
            var row = new List<string>
            {
                Markup.Escape(c.Title),
                Colour(c.Verdict),
                d is null ? "–" : Markup.Escape(Interval(d.Test)),
                d is null ? "–" : Markup.Escape(d.Test.Kind == TestKind.Equivalence ? $"{Views.Short(d.Test.Target)} ± {Views.Short(d.Test.Margin)}" : $"< {Views.Short(d.Test.Target)}"),
            };
            foreach (string id in r.Config.Controls)
            {
                var k = c.Control(id);
                int i = d is null ? -1 : c.Trained.Tests.ToList().IndexOf(d);
                row.Add(k is null || i < 0 || i >= k.Tests.Count ? Markup.Escape(k?.Verdict.Replace('_', ' ') ?? "–")
                    : Markup.Escape($"{Interval(k.Tests[i].Test)} ") + Colour(k.Verdict));
            }
            table.AddRow(row.ToArray());
        }
        if (r.Config.UserFit is not null)
            table.Caption(Markup.Escape("intervals include the target's standard error from θ0's fit, as the tests do"));
        ctx.Output.WriteLine($"input {r.Config.Theta0.Describe()}, N = {r.Config.Length}; stable fixed point θ* = ({string.Join(", ", star.Names.Zip(star.Values, (n, v) => $"{n}={Views.Cell(v)}"))})");
        if (r.Config.UserFit is { } fit)
        {
            ctx.Output.WriteLine($"θ0 fitted to {fit.Path} ({r.Config.UserData!.Rows} samples, {r.Config.EffectiveProbeSamples} held out to read the layers): "
                + string.Join(", ", fit.Fit.Estimates.Select(e => $"{e.Name} = {Views.Short(e.Estimate)} [{Views.Short(e.Lower)}, {Views.Short(e.Upper)}]"))
                + "; correlation at r = " + string.Join(", ", fit.Correlations.Select(c => $"{c.Distance}: {Views.Short(c.Measured)} vs {Views.Short(c.Predicted)} predicted")));
            foreach (string w in fit.Warnings) ctx.Output.WriteLine($"warning: {w}");
        }
        ctx.Console.Write(table);
        foreach (var c in head) ctx.Output.WriteLine($"  {c.Claim}: {c.Sentence}");
        var others = r.Claims.Where(c => !c.Primary && c.Verdict != Verdicts.NotApplicable).ToArray();
        if (others.Length > 0)
            ctx.Output.WriteLine("other objectives and readings: " + string.Join("; ", others
                .GroupBy(c => c.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}")) + " (see report.html)");
        var trained = r.Runs.Where(n => n.Training is not null && n.Condition == Results.Conditions.Trained).ToArray();
        if (r.Config.UserNetwork is not null)
            ctx.Output.WriteLine($"the network under test was given (not trained here); {seconds:F1} s; results in {folder}");
        else ctx.Output.WriteLine($"{trained.Count(n => n.Training!.Converged)} of {trained.Length} trained networks converged (early stopping) before the {r.Config.Epochs}-epoch cap; {seconds:F1} s; results in {folder}");
    }

    private static string Interval(ClaimTest t) =>
        $"{Views.Short(t.Combined.Estimate)} [{Views.Short(t.TestInterval.Lower)}, {Views.Short(t.TestInterval.Upper)}]";

    private static string Colour(string verdict) => verdict switch
    {
        Verdicts.Holds => "[green]holds[/]",
        Verdicts.Fails => "[red]fails[/]",
        Verdicts.IndistinguishableFromControl => "[yellow]indistinguishable from control[/]",
        _ => Markup.Escape(verdict.Replace('_', ' ')),
    };
}
