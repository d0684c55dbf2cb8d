using System.CommandLine;
using System.Globalization;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Cli.Commands.Correspond;

/// <summary>The options of <c>rglens correspond</c> and their translation into a <see cref="CorrespondenceConfig"/>.</summary>
public sealed class CorrespondOptions
{
    /// <summary>The model options (<c>--model</c>, parameters, <c>--N</c>, <c>--boundary</c>); defaults K0 = 0.8, h0 = 0.2.</summary>
    public ModelOptions Model { get; } = new();

    /// <summary><c>--objectives</c>.</summary>
    public Option<string> Objectives { get; } = new("--objectives") { Description = "Comma-separated objectives: autoencoder, supervised.", DefaultValueFactory = _ => "autoencoder,supervised" };

    /// <summary><c>--seeds</c>.</summary>
    public Option<int> Seeds { get; } = new("--seeds") { Description = "Networks per objective and compression (>= 1).", DefaultValueFactory = _ => 3 };

    /// <summary><c>--compressions</c>.</summary>
    public Option<string> Compressions { get; } = new("--compressions") { Description = "Comma-separated compressions b = N/M (powers of 2 dividing N).", DefaultValueFactory = _ => "2,4,8,16" };

    /// <summary><c>--readings</c>.</summary>
    public Option<string> Readings { get; } = new("--readings") { Description = "Comma-separated readings: sign, stochastic (binary: Ising chain), continuous (Gaussian chain).", DefaultValueFactory = _ => "sign,stochastic,continuous" };

    /// <summary><c>--train-samples</c>.</summary>
    public Option<int?> TrainSamples { get; } = new("--train-samples") { Description = "Training samples per seed (default 16384; --quick 4096)." };

    /// <summary><c>--probe-samples</c>.</summary>
    public Option<int?> ProbeSamples { get; } = new("--probe-samples") { Description = "Fresh samples that read each layer (default 4096; --quick 1024)." };

    /// <summary><c>--epochs</c>.</summary>
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Maximum epochs (early stopping on validation loss; default 40; --quick 8)." };

    /// <summary><c>--patience</c>.</summary>
    public Option<int> Patience { get; } = new("--patience") { Description = "Early-stopping patience in epochs.", DefaultValueFactory = _ => 5 };

    /// <summary><c>--lr</c>.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate (> 0).", DefaultValueFactory = _ => 3e-3 };

    /// <summary><c>--replicates</c>.</summary>
    public Option<int?> Replicates { get; } = new("--replicates") { Description = "Bootstrap replicates per fit (default 100; --quick 30)." };

    /// <summary><c>--quick</c>.</summary>
    public Option<bool> Quick { get; } = new("--quick") { Description = "A small, fast configuration (N = 32, b = 2,4,8, 2 seeds, fewer samples and epochs): a smoke test." };

    /// <summary><c>--seed</c>.</summary>
    public Option<long> Seed { get; } = CommonOptions.Seed();

    /// <summary><c>--threads</c>.</summary>
    public Option<int> Threads { get; } = CommonOptions.Threads();

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Model.AddTo(command);
        foreach (var o in new Option[] { Objectives, Seeds, Compressions, Readings, TrainSamples, ProbeSamples, Epochs, Patience, LearningRate, Replicates, Quick, Seed, Threads })
            command.Options.Add(o);
    }

    /// <summary>The configuration the options describe (defaults: the embedded default experiment, Ising K0 = 0.8, h0 = 0.2, N = 64).</summary>
    public CorrespondenceConfig Bind(ParseResult r)
    {
        bool quick = r.GetValue(Quick);
        var family = Model.Family(r);
        var theta = Model.Parameters(r, family is Models.IsingFamily ? [0.8, 0.2] : null);
        int n = r.GetResult(Model.Length) is { Implicit: false } ? r.GetValue(Model.Length) : quick ? 32 : 64;
        if (n < 2) throw new UsageException($"--N must be >= 2; got {n}.");
        string compressions = r.GetResult(Compressions) is { Implicit: false } ? r.GetValue(Compressions)! : quick ? "2,4,8" : "2,4,8,16";
        var config = new CorrespondenceConfig
        {
            Theta0 = theta,
            Length = n,
            Boundary = Model.BoundaryValue(r),
            Objectives = List(r.GetValue(Objectives)!, "objective", NnNames.ParseObjective),
            Seeds = r.GetResult(Seeds) is { Implicit: false } ? r.GetValue(Seeds) : quick ? 2 : 3,
            Compressions = List(compressions, "compression", ParseInt),
            Readings = List(r.GetValue(Readings)!, "reading", ParseReading),
            TrainSamples = r.GetValue(TrainSamples) ?? (quick ? 4096 : 16_384),
            ProbeSamples = r.GetValue(ProbeSamples) ?? (quick ? 1024 : 4096),
            Epochs = r.GetValue(Epochs) ?? (quick ? 8 : 40),
            Patience = r.GetValue(Patience),
            LearningRate = r.GetValue(LearningRate),
            BootstrapReplicates = r.GetValue(Replicates) ?? (quick ? 30 : 100),
            TrainingCheckpoints = quick ? 6 : 10,
            Seed = CommonOptions.SeedValue(r, Seed),
            Threads = CommonOptions.ThreadsValue(r, Threads),
        };
        config.Validate();
        return config;
    }

    private static IReadOnlyList<T> List<T>(string text, string what, Func<string, T> parse)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new UsageException($"no {what} given.");
        return items.Select(parse).Distinct().ToArray();
    }

    private static int ParseInt(string s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"'{s}' is not a whole number.");

    private static LayerReading ParseReading(string s) => s.ToLowerInvariant() switch
    {
        "sign" => LayerReading.Sign,
        "stochastic" => LayerReading.Stochastic,
        "continuous" => LayerReading.Continuous,
        _ => throw new UsageException($"unknown reading '{s}'; the readings are sign, stochastic, continuous."),
    };
}
