using System.Globalization;
using RgLens.Cli.Infrastructure;
using RgLens.Nn;
using Spectre.Console;

namespace RgLens.Cli.Commands.Train;

/// <summary>
/// Shows training progress: a live Spectre progress bar (loss, validation loss, samples/s) on an
/// interactive terminal, otherwise one plain line per epoch on the diagnostics writer.
/// </summary>
public sealed class TrainProgressView(CliContext context)
{
    /// <summary>Runs <paramref name="train"/>, handing it the progress callback, and returns its result.</summary>
    public T Run<T>(Func<Action<TrainingProgress>, T> train)
    {
        if (!context.IsTerminal) return train(Line);
        T result = default!;
        context.Console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(c =>
            {
                var task = c.AddTask("training", maxValue: 1);
                result = train(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalSteps);
                    task.Value = p.Step;
                    task.Description = Markup.Escape(Describe(p));
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    private void Line(TrainingProgress p)
    {
        if (p.EpochCompleted) context.Error.WriteLine(Describe(p));
    }

    /// <summary>e.g. <c>epoch 3/50  step 120  loss 0.1234  val 0.1300  45,678 samples/s</c>.</summary>
    public static string Describe(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        string validation = double.IsNaN(p.ValidationLoss) ? "-" : p.ValidationLoss.ToString("G4", c);
        return string.Create(c, $"epoch {p.Epoch}/{p.Epochs}  step {p.Step}  loss {p.TrainLoss:G4}  val {validation}  {p.SamplesPerSecond:N0} samples/s");
    }
}
