using System.CommandLine;
using System.Globalization;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.Nn;

namespace RgLens.Cli.Commands.Correspond;

/// <summary>The options of <c>rglens correspond</c> and their translation into a <see cref="CorrespondenceConfig"/>.</summary>
public sealed class CorrespondOptions
{
    /// <summary>The model options (<c>--model</c>, parameters, <c>--N</c>, <c>--boundary</c>); defaults K0 = 0.8, h0 = 0.2.</summary>
    public ModelOptions Model { get; } = new(64, new Dictionary<string, double[]> { ["ising"] = [0.8, 0.2] });

    /// <summary><c>--objectives</c>.</summary>
    public Option<string> Objectives { get; } = new("--objectives") { Description = "Comma-separated objectives: autoencoder, supervised.", DefaultValueFactory = _ => "autoencoder,supervised" };

    /// <summary><c>--seeds</c>.</summary>
    public Option<int> Seeds { get; } = new("--seeds") { Description = "Networks per objective and compression (>= 1).", DefaultValueFactory = _ => 3 };

    /// <summary><c>--compressions</c>.</summary>
    public Option<string> Compressions { get; } = new("--compressions") { Description = "Comma-separated compressions b = N/M (powers of 2 dividing N).", DefaultValueFactory = _ => "2,4,8,16" };

    /// <summary><c>--readings</c>.</summary>
    public Option<string> Readings { get; } = new("--readings")
    {
        Description = "Comma-separated readings, the first is the primary one: " + string.Join("; ", Probes.Readings.All.Select(r => $"{r.Id} ({r.Description})")) + ".",
        DefaultValueFactory = _ => string.Join(",", Probes.Readings.Default),
    };

    /// <summary><c>--controls</c>.</summary>
    public Option<string> Controls { get; } = new("--controls")
    {
        Description = "Comma-separated controls read beside the trained networks, or 'none': " + string.Join("; ", Results.Conditions.Controls.Select(c => $"{c.Id} ({c.Description})")) + ".",
        DefaultValueFactory = _ => string.Join(",", Results.Conditions.Controls.Select(c => c.Id)),
    };

    /// <summary><c>--claims</c>.</summary>
    public Option<string> Claims { get; } = new("--claims")
    {
        Description = "Comma-separated claims to test: " + string.Join(", ", RgLens.Claims.ClaimRegistry.All.Select(c => c.Id)) + ".",
        DefaultValueFactory = _ => string.Join(",", RgLens.Claims.ClaimRegistry.All.Select(c => c.Id)),
    };

    /// <summary><c>--margin</c>.</summary>
    public Option<double> Margin { get; } = new("--margin") { Description = "Equivalence margin δ (> 0): a claim holds when its interval lies inside target ± δ, fails when outside.", DefaultValueFactory = _ => 0.1 };

    /// <summary><c>--data</c>.</summary>
    public Option<string?> Data { get; } = new("--data")
    {
        Description = $"Your configurations ({CommonOptions.DataFiles}; samples x sites) instead of samples of a given θ0: θ0 is fitted to them for --model (with a goodness-of-fit), the networks train on them (a quarter, at most --probe-samples rows, is held out to read the layers), and the RG targets carry θ0's uncertainty.",
    };

    /// <summary><c>--architecture</c>.</summary>
    public Option<string> Architecture { get; } = new("--architecture") { Description = "dense (fully connected pyramids) or conv (pyramids of stride-2 1-D convolutions; each channel read as a chain in site order).", DefaultValueFactory = _ => "dense" };

    /// <summary><c>--channels</c>.</summary>
    public Option<int> Channels { get; } = new("--channels") { Description = "Channels of every convolutional layer (--architecture conv).", DefaultValueFactory = _ => 4 };

    /// <summary><c>--kernel</c>.</summary>
    public Option<int> Kernel { get; } = new("--kernel") { Description = "Odd kernel size of every convolutional layer (--architecture conv).", DefaultValueFactory = _ => 3 };

    /// <summary><c>--network</c>.</summary>
    public Option<string?> Network { get; } = new("--network")
    {
        Description = "Test this network (an RgLens .npz pyramid, e.g. from --keep-networks or rglens train) instead of training: its compression, objective and architecture are taken from it; its controls are the same architecture untrained and trained on null data. One network is one seed, so no claim can hold.",
    };

    /// <summary><c>--keep-networks</c>.</summary>
    public Option<bool> KeepNetworks { get; } = new("--keep-networks") { Description = "Write every network (trained and controls) into OUT/networks as .npz and .onnx." };

    /// <summary><c>--source</c>.</summary>
    public Option<string> Source { get; } = new("--source")
    {
        Description = "Training data of the networks under test: " + string.Join("; ", Sources.DataSources.All.Select(s => $"{s.Id} ({s.Description})")) + ".",
        DefaultValueFactory = _ => "model",
    };

    /// <summary><c>--train-samples</c>.</summary>
    public Option<int?> TrainSamples { get; } = new("--train-samples") { Description = "Training samples per seed (default 16384; --quick 4096)." };

    /// <summary><c>--probe-samples</c>.</summary>
    public Option<int?> ProbeSamples { get; } = new("--probe-samples") { Description = "Fresh samples that read each layer (default 4096; --quick 1024)." };

    /// <summary><c>--epochs</c>.</summary>
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Maximum epochs (early stopping on the validation loss normally ends training first; default 100; --quick 30)." };

    /// <summary><c>--patience</c>.</summary>
    public Option<int> Patience { get; } = new("--patience") { Description = "Early-stopping patience in epochs.", DefaultValueFactory = _ => 4 };

    /// <summary><c>--min-improvement</c>.</summary>
    public Option<double> MinImprovement { get; } = new("--min-improvement") { Description = "Relative decrease of the validation loss that counts as an improvement for early stopping.", DefaultValueFactory = _ => 2e-3 };

    /// <summary><c>--lr</c>.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate (> 0).", DefaultValueFactory = _ => 3e-3 };

    /// <summary><c>--replicates</c>.</summary>
    public Option<int?> Replicates { get; } = new("--replicates") { Description = "Bootstrap replicates of each within-network standard error (default 100; --quick 30)." };

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
        foreach (var o in new Option[] { Data, Network, KeepNetworks, Architecture, Channels, Kernel, Objectives, Seeds, Compressions, Readings, Controls, Claims, Margin, Source, TrainSamples, ProbeSamples, Epochs, Patience, MinImprovement, LearningRate, Replicates, Quick, Seed, Threads })
            command.Options.Add(o);
    }

    /// <summary>The configuration the options describe (defaults: the embedded default experiment, Ising K0 = 0.8, h0 = 0.2, N = 64).</summary>
    public CorrespondenceConfig Bind(ParseResult r)
    {
        bool quick = r.GetValue(Quick);
        var family = Model.Family(r);
        var theta = Model.Parameters(r, family is Models.IsingFamily ? [0.8, 0.2] : null);
        int n = r.GetResult(Model.Length) is { Implicit: false } ? r.GetValue(Model.Length) : quick ? 32 : 64;
        Data.SampleMatrix<double>? userData = null;
        UserDataFit? userFit = null;
        if (r.GetValue(Data) is { } dataPath)
        {
            if (Model.GivenParameters(r) is { Count: > 0 } given)
                throw new UsageException($"θ0 is fitted to --data; drop {string.Join(", ", given)}.");
            userData = IO.SampleFiles.LoadReal(dataPath);
            if (r.GetResult(Model.Length) is { Implicit: false } && n != userData.Columns)
                throw new UsageException($"--N {n} does not match the {userData.Columns} sites per sample of '{dataPath}'.");
            n = userData.Columns;
            if (userData.Rows < 64) throw new UsageException($"'{dataPath}' holds {userData.Rows} samples; at least 64 are needed.");
            userFit = UserDataFit.Of(dataPath, userData, family, Model.BoundaryValue(r), r.GetValue(Replicates) ?? 100, CommonOptions.SeedValue(r, Seed));
            theta = family.Create(userFit.Fit.Estimates.Select(e => e.Estimate).ToArray());
        }
        if (n < 2) throw new UsageException($"--N must be >= 2; got {n}.");
        string compressions = r.GetResult(Compressions) is { Implicit: false } ? r.GetValue(Compressions)! : quick ? "2,4,8" : "2,4,8,16";
        var config = new CorrespondenceConfig
        {
            Theta0 = theta,
            Length = n,
            Boundary = Model.BoundaryValue(r),
            Objectives = userData is not null && r.GetResult(Objectives) is not { Implicit: false } ? [Objective.Autoencoder]
                : List(r.GetValue(Objectives)!, "objective", NnNames.ParseObjective),
            Seeds = r.GetResult(Seeds) is { Implicit: false } ? r.GetValue(Seeds) : quick ? 2 : 3,
            Compressions = List(compressions, "compression", ParseInt),
            Readings = List(r.GetValue(Readings)!, "reading", s => Probes.Readings.Get(s).Id),
            Controls = r.GetValue(Controls)!.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? []
                : List(r.GetValue(Controls)!, "control", s => Results.Conditions.Control(s).Id),
            Claims = List(r.GetValue(Claims)!, "claim", s => RgLens.Claims.ClaimRegistry.Get(s).Id),
            Margin = r.GetValue(Margin),
            TrainingSource = Sources.DataSources.All.FirstOrDefault(x => x.Id.Equals(r.GetValue(Source)!.Trim(), StringComparison.OrdinalIgnoreCase)).Id
                ?? throw new ArgumentException($"unknown data source '{r.GetValue(Source)}'; known: {string.Join(", ", Sources.DataSources.All.Select(x => x.Id))}."),
            TrainSamples = r.GetValue(TrainSamples) ?? (quick ? 4096 : 16_384),
            ProbeSamples = r.GetValue(ProbeSamples) ?? (quick ? 1024 : 4096),
            Epochs = r.GetValue(Epochs) ?? (quick ? 30 : 100),
            Patience = r.GetValue(Patience),
            MinRelativeImprovement = r.GetValue(MinImprovement),
            LearningRate = r.GetValue(LearningRate),
            BootstrapReplicates = r.GetValue(Replicates) ?? (quick ? 30 : 100),
            TrainingCheckpoints = quick ? 6 : 10,
            Seed = CommonOptions.SeedValue(r, Seed),
            Architecture = r.GetValue(Architecture)!.Trim().ToLowerInvariant(),
            Channels = r.GetValue(Channels),
            Kernel = r.GetValue(Kernel),
            UserData = userData,
            UserFit = userFit,
            Threads = CommonOptions.ThreadsValue(r, Threads),
        };
        if (r.GetValue(Network) is { } networkPath)
        {
            if (!networkPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--network takes an RgLens .npz network; read other networks (ONNX) with 'rglens probe'.");
            if (r.GetResult(Seeds) is { Implicit: false } && r.GetValue(Seeds) != 1)
                throw new UsageException("one given network is one seed; drop --seeds (or give --seeds 1) with --network.");
            var net = Nn.Network.Load(networkPath);
            var spec = net.Spec;
            int feature = spec.Widths[spec.FeatureLayer];
            var first = spec.Layers[0];
            bool conv = first.Kind == Nn.LayerKind.Conv1d;
            int b = conv ? spec.InputWidth / spec.Layers[spec.FeatureLayer - 1].OutputSites : spec.InputWidth / Math.Max(1, feature);
            config = config with
            {
                UserNetwork = net,
                Length = r.GetResult(Model.Length) is { Implicit: false } ? config.Length : spec.InputWidth,
                Seeds = 1,
                Compressions = [b],
                Objectives = [spec.Objective],
                Architecture = conv ? "conv" : "dense",
                Channels = conv ? first.OutChannels : config.Channels,
                Kernel = conv ? first.Kernel : config.Kernel,
            };
        }
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

}
