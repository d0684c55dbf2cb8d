using RgLens.Comparison;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Claims;

/// <summary>
/// Turns the measurements into one verdict per claim (docs/theory-choices.md, "Verdicts"). The
/// comparisons of the trained networks form two families for Holm's adjustment: the pre-declared
/// primary objective and reading (the headline claims: confirmatory), and every other objective
/// and reading (exploratory); in each, the equivalence p-values and the difference p-values are
/// adjusted over the family, so the headline does not pay for the secondary readings while those
/// still pay for each other. A comparison holds when its
/// adjusted equivalence p is below α and nothing blocks it, fails when its adjusted difference p is
/// below α. A claim holds when all its comparisons hold, fails when any fails, and is
/// inconclusive otherwise. The controls are judged by the same comparisons, unadjusted (a
/// generous standard for them: it makes "indistinguishable from control" easier to reach, never
/// "holds"). A claim that holds for the trained networks and for any control is reported as
/// indistinguishable from control.
/// </summary>
public static class ClaimEvaluator
{
    /// <summary>Evaluates <paramref name="claims"/> for every objective and reading.</summary>
    /// <param name="context">The measurements.</param>
    /// <param name="claims">The claims.</param>
    /// <param name="objectives">Objectives, primary first.</param>
    /// <param name="readings">Readings, primary first.</param>
    /// <param name="controls">The control conditions in the run.</param>
    public static IReadOnlyList<ClaimOutcome> Evaluate(ClaimContext context, IReadOnlyList<IClaim> claims, IReadOnlyList<Objective> objectives,
        IReadOnlyList<IReading> readings, IReadOnlyList<Condition> controls)
    {
        var cells = (from objective in objectives
                     from reading in readings
                     from claim in claims
                     select (claim, objective, reading)).ToArray();
        var trainedTests = cells.Select(c => c.claim.NotApplicable(context, c.reading, Conditions.Trained) is null
            ? c.claim.Tests(context, Conditions.Trained, c.objective, c.reading) : []).ToArray();
        var flat = trainedTests.SelectMany(t => t).ToArray();
        var primaryTest = cells.SelectMany((c, i) => trainedTests[i].Select(_ => c.objective == objectives[0] && c.reading == readings[0])).ToArray();
        var raw = flat.Select(t => t.PValues()).ToArray();
        var eqHolm = new double[flat.Length];
        var diffHolm = new double[flat.Length];
        // Two families: the pre-declared primary objective and reading (the headline), and everything else.
        foreach (bool family in new[] { true, false })
        {
            var members = Enumerable.Range(0, flat.Length).Where(i => primaryTest[i] == family).ToArray();
            var eq = Holm.Adjust(members.Select(i => raw[i].Equivalence).ToArray());
            var diff = Holm.Adjust(members.Select(i => raw[i].Difference).ToArray());
            for (int k2 = 0; k2 < members.Length; k2++)
            {
                eqHolm[members[k2]] = eq[k2];
                diffHolm[members[k2]] = diff[k2];
            }
        }
        var list = new List<ClaimOutcome>();
        int k = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            var (claim, objective, reading) = cells[i];
            bool primary = objective == objectives[0] && reading == readings[0];
            string statement = claim.Statement(context, reading);
            string? na = claim.NotApplicable(context, reading, Conditions.Trained);
            var outcomes = new List<TestOutcome>();
            foreach (var test in trainedTests[i])
            {
                outcomes.Add(Judge(test, raw[k], eqHolm[k], diffHolm[k], context.Alpha));
                k++;
            }
            var trained = Aggregate(Conditions.Trained, outcomes, na);
            var controlOutcomes = controls.Select(c =>
            {
                string? cna = claim.NotApplicable(context, reading, c.Id);
                if (cna is not null || na is not null) return Aggregate(c.Id, [], cna ?? na);
                var tests = claim.Tests(context, c.Id, objective, reading).Select(t =>
                {
                    var p = t.PValues();
                    return Judge(t, p, p.Equivalence, p.Difference, context.Alpha);
                }).ToArray();
                return Aggregate(c.Id, tests, null);
            }).ToArray();
            string verdict = trained.Verdict == Verdicts.Holds && controlOutcomes.Any(c => c.Verdict == Verdicts.Holds)
                ? Verdicts.IndistinguishableFromControl : trained.Verdict;
            var nets = context.Networks(Conditions.Trained, objective).Where(r => r.Training is not null).ToArray();
            var outcome = new ClaimOutcome(claim.Id, claim.Title, objective, reading.Id, primary, statement, verdict, trained, controlOutcomes,
                "", nets.Length, nets.Count(r => r.Training!.Converged));
            list.Add(outcome with { Sentence = Sentence(outcome, context) });
        }
        return list;
    }

    /// <summary>One comparison's verdict: fails when the adjusted difference p is below α, holds when the adjusted equivalence p is and nothing blocks it, inconclusive otherwise.</summary>
    internal static TestOutcome Judge(ClaimTest test, EquivalencePValues p, double eqAdjusted, double diffAdjusted, double alpha)
    {
        string verdict = diffAdjusted < alpha ? Verdicts.Fails
            : eqAdjusted < alpha && test.HoldsBlockedBecause is null ? Verdicts.Holds
            : Verdicts.Inconclusive;
        return new TestOutcome(test, p.Equivalence, p.Difference, eqAdjusted, diffAdjusted, verdict);
    }

    private static ConditionOutcome Aggregate(string condition, IReadOnlyList<TestOutcome> tests, string? notApplicable)
    {
        if (notApplicable is not null || tests.Count == 0) return new ConditionOutcome(condition, Verdicts.NotApplicable, tests, notApplicable ?? "no comparison");
        string verdict = tests.Any(t => t.Verdict == Verdicts.Fails) ? Verdicts.Fails
            : tests.All(t => t.Verdict == Verdicts.Holds) ? Verdicts.Holds
            : Verdicts.Inconclusive;
        return new ConditionOutcome(condition, verdict, tests, null);
    }

    /// <summary>One sentence: the deciding comparison, its verdict, and what the controls say.</summary>
    private static string Sentence(ClaimOutcome o, ClaimContext context)
    {
        if (o.Verdict == Verdicts.NotApplicable) return $"Not applicable: {o.Trained.NotApplicableBecause}.";
        var d = o.Trained.Deciding!;
        var t = d.Test;
        string Interval(ClaimTest x) => $"{ClaimMath.F(x.Combined.Estimate)} [{ClaimMath.F(x.TestInterval.Lower)}, {ClaimMath.F(x.TestInterval.Upper)}]"
            + (x.TargetStandardError > 0 ? " (the target's standard error included)" : "");
        string target = t.Kind == TestKind.Equivalence ? $"target {ClaimMath.F(t.Target)} ± {ClaimMath.F(t.Margin)}" : $"threshold {ClaimMath.F(t.Target)}";
        string s = $"{t.Label}: {Interval(t)} against {target}";
        s += o.Verdict switch
        {
            Verdicts.Holds => " — inside the margin",
            Verdicts.Fails => " — outside the margin",
            Verdicts.IndistinguishableFromControl => " — inside the margin, but so is " + string.Join(" and ", o.Controls.Where(c => c.Verdict == Verdicts.Holds).Select(c => $"the {c.Condition.Replace('_', ' ')} control ({Interval(c.Tests[o.Trained.Tests.ToList().IndexOf(d)].Test)})")),
            _ => t.HoldsBlockedBecause is { } why ? $" — cannot hold: {why}" : " — neither inside nor outside the margin",
        };
        if (o.Claim == "layer_flow" && o.Trained.Tests.Count > 0)
        {
            int faster = o.Trained.Tests.Count(x => Math.Abs(x.Test.Combined.Estimate) < Math.Abs(x.Test.Target));
            s += faster == o.Trained.Tests.Count ? "; every layer sits closer to K* = 0 than the RG trajectory (the network flows faster)"
                : faster == 0 ? "; every layer sits farther from K* = 0 than the RG trajectory (the network flows slower)"
                : $"; {faster} of {o.Trained.Tests.Count} layers sit closer to K* = 0 than the RG trajectory";
        }
        if (o.Trained.Tests.Count > 1) s += $" ({o.Trained.Tests.Count(x => x.Verdict == Verdicts.Holds)} of {o.Trained.Tests.Count} comparisons hold, {o.Trained.Tests.Count(x => x.Verdict == Verdicts.Fails)} fail)";
        if (o.Networks > 0 && o.Converged < o.Networks) s += $"; {o.Networks - o.Converged} of {o.Networks} networks stopped at the epoch cap";
        return s + ".";
    }
}
