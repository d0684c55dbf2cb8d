using RgLens.Claims;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;
using RgLens.Sources;

namespace RgLens.Experiments;

/// <summary>
/// Everything that defines one correspondence experiment: the input model θ0 and chain, the
/// networks (objectives, seeds, pyramid depths), the readings, controls, claims and margin, and the
/// sizes. The defaults are the README's embedded default run; the first objective and the first
/// reading are the pre-declared primary ones.
/// </summary>
public sealed record CorrespondenceConfig
{
    /// <summary>The input model θ0 (default Ising K0 = 0.8, h0 = 0.2).</summary>
    public ChainParameters Theta0 { get; init; } = new IsingParameters(0.8, 0.2);

    /// <summary>Sites N of the input chain.</summary>
    public int Length { get; init; } = 64;

    /// <summary>Boundary of the input chain; the probes read the units in index order with the same boundary.</summary>
    public Boundary Boundary { get; init; } = Boundary.Periodic;

    /// <summary>The objectives to train.</summary>
    public IReadOnlyList<Objective> Objectives { get; init; } = [Objective.Autoencoder, Objective.Supervised];

    /// <summary>Independent networks per objective and compression.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Compressions b = N/M of the feature layer; each is a pyramid that halves the width per layer.</summary>
    public IReadOnlyList<int> Compressions { get; init; } = [2, 4, 8, 16];

    /// <summary>The readings of every layer, by id (<see cref="Probes.Readings"/>); the first is the primary one.</summary>
    public IReadOnlyList<string> Readings { get; init; } = Probes.Readings.Default;

    /// <summary>The controls read beside the trained networks, by id (<see cref="Conditions.Controls"/>).</summary>
    public IReadOnlyList<string> Controls { get; init; } = Conditions.Controls.Select(c => c.Id).ToArray();

    /// <summary>The claims tested, by id (<see cref="ClaimRegistry"/>).</summary>
    public IReadOnlyList<string> Claims { get; init; } = ClaimRegistry.All.Select(c => c.Id).ToArray();

    /// <summary>The equivalence margin δ of every claim (in the compared quantity's units: K, h, ρ).</summary>
    public double Margin { get; init; } = 0.1;

    /// <summary>The data source of the trained networks ("model": θ0; "null" turns the run into a negative control).</summary>
    public string TrainingSource { get; init; } = "model";

    /// <summary>
    /// The user's configurations (<c>correspond --data</c>), or null for samples of θ0. With data,
    /// <see cref="Theta0"/> is the fit <see cref="UserFit"/>, the networks are trained on the data
    /// (a held-out part reads the layers) and the RG targets carry θ0's uncertainty.
    /// </summary>
    public Data.SampleMatrix<double>? UserData { get; init; }

    /// <summary>
    /// When set, every network of every condition is written here as RgLens NPZ and as ONNX
    /// (<c>{condition}-{objective}-b{b}-seed{s}.npz/.onnx</c>, deterministic bytes), so that it can be
    /// probed again, evaluated or loaded in PyTorch.
    /// </summary>
    public string? NetworkFolder { get; init; }

    /// <summary>
    /// A network to test instead of training one (<c>correspond --network</c>): it stands for the
    /// trained condition at its own compression; the controls are its architecture untrained and
    /// trained on null data. One network is one seed, so no claim can hold (the variance between
    /// initializations is unknown); failures still show.
    /// </summary>
    public Network? UserNetwork { get; init; }

    /// <summary>θ0 fitted to <see cref="UserData"/>, with its goodness-of-fit.</summary>
    public UserDataFit? UserFit { get; init; }

    /// <summary>The source the trained networks learn from: the user's data when there are some, else <see cref="TrainingSource"/>.</summary>
    public string EffectiveTrainingSource => UserData is not null && TrainingSource == "model" ? "data" : TrainingSource;

    /// <summary>Probe samples actually used: with user data, at most a quarter of the rows (held out from training).</summary>
    public int EffectiveProbeSamples => UserData is null ? ProbeSamples : Math.Min(ProbeSamples, UserData.Rows / 4);

    /// <summary>Training samples per seed (the same data for every network of that seed).</summary>
    public int TrainSamples { get; init; } = 16_384;

    /// <summary>Fresh samples of θ0 used to read every layer's output system.</summary>
    public int ProbeSamples { get; init; } = 4096;

    /// <summary>
    /// "dense" (fully connected pyramids) or "conv" (pyramids of stride-2 1-D convolutions whose
    /// units sit on the chain: each channel of a layer is read as a chain in site order).
    /// </summary>
    public string Architecture { get; init; } = "dense";

    /// <summary>Channels of every convolutional layer (architecture "conv").</summary>
    public int Channels { get; init; } = 4;

    /// <summary>Kernel size of every convolutional layer (odd; architecture "conv").</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Hidden activation of the encoder (tanh: its pre-activations have a natural sign).</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>Maximum epochs; early stopping on the validation loss ends training first in the default run.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Early-stopping patience in epochs.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>Early stopping's minimum relative improvement of the validation loss (<see cref="TrainerOptions.MinRelativeImprovement"/>).</summary>
    public double MinRelativeImprovement { get; init; } = 2e-3;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Snapshots along training of the deepest pyramid, log-spaced in steps (0 included).</summary>
    public int TrainingCheckpoints { get; init; } = 10;

    /// <summary>Bootstrap replicates of every chain fit.</summary>
    public int BootstrapReplicates { get; init; } = 100;

    /// <summary>Nominal coverage of every interval.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Half-widths of the box of generating parameters pooled for the supervised objective, in the family's parameter order.</summary>
    public IReadOnlyList<double>? SupervisedSpread { get; init; }

    /// <summary>The master seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Networks trained at once (each on one thread); results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The model of the input chain.</summary>
    public ChainModel InputModel => new(Theta0, Length, Boundary);

    /// <summary>The deepest compression: its pyramid is the one read layer by layer and along training.</summary>
    public int DeepestCompression => Compressions.Max();

    /// <summary>The feature layer of the pyramid with compression b: l = log2 b (each layer halves the width).</summary>
    public static int FeatureLayer(int compression) => System.Numerics.BitOperations.Log2((uint)compression);

    /// <summary>Checks every setting; the message names the first bad one.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (one line).</exception>
    public void Validate()
    {
        InputModel.Validated();
        if (Objectives.Count == 0) throw new ArgumentException("at least one objective is needed.");
        if (Readings.Count == 0) throw new ArgumentException("at least one reading is needed.");
        foreach (string r in Readings) Probes.Readings.Get(r);
        if (Readings.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Readings.Count) throw new ArgumentException("a reading is listed twice.");
        foreach (string c in Controls) Conditions.Control(c);
        if (Claims.Count == 0) throw new ArgumentException("at least one claim is needed.");
        foreach (string c in Claims) ClaimRegistry.Get(c);
        if (!(Margin > 0) || !double.IsFinite(Margin)) throw new ArgumentException($"--margin must be a finite number > 0; got {Margin}.");
        if (!DataSources.All.Any(s => string.Equals(s.Id, TrainingSource, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"unknown data source '{TrainingSource}'; known: {string.Join(", ", DataSources.All.Select(s => s.Id))}.");
        if (!(MinRelativeImprovement >= 0 && MinRelativeImprovement < 1)) throw new ArgumentException($"the minimum relative improvement must lie in [0, 1); got {MinRelativeImprovement}.");
        if (Compressions.Count == 0) throw new ArgumentException("at least one compression is needed.");
        foreach (int b in Compressions)
        {
            if (b < 2) throw new ArgumentException($"a compression must be >= 2; got {b}.");
            if ((b & (b - 1)) != 0) throw new ArgumentException($"compressions must be powers of 2 (each layer halves the width); got {b}.");
            if (Length % b != 0) throw new ArgumentException($"compression {b} does not divide N={Length}.");
            if (Length / b < 2) throw new ArgumentException($"compression {b} leaves a feature layer of {Length / b} unit(s) for N={Length}; a chain needs at least 2 (feature width must stay between 2 and N).");
        }
        if (Seeds < 1) throw new ArgumentException($"--seeds must be >= 1; got {Seeds}.");
        if (TrainSamples < 16) throw new ArgumentException($"at least 16 training samples are needed; got {TrainSamples}.");
        if (ProbeSamples < 16) throw new ArgumentException($"at least 16 probe samples are needed; got {ProbeSamples}.");
        if (Architecture is not ("dense" or "conv")) throw new ArgumentException($"unknown architecture '{Architecture}'; architectures: dense, conv.");
        if (Architecture == "conv")
        {
            if (Channels < 1) throw new ArgumentException($"--channels must be >= 1; got {Channels}.");
            if (Kernel < 1 || Kernel % 2 == 0) throw new ArgumentException($"--kernel must be odd and >= 1; got {Kernel}.");
            if (Kernel > Length) throw new ArgumentException($"--kernel {Kernel} is larger than the chain (N = {Length}).");
        }
        if (Patience < 0) throw new ArgumentException($"the patience must be >= 0; got {Patience}.");
        if (Epochs < 1) throw new ArgumentException($"--epochs must be >= 1; got {Epochs}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be > 0; got {LearningRate}.");
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be >= 1; got {BatchSize}.");
        if (BootstrapReplicates < 0) throw new ArgumentException($"bootstrap replicates must be >= 0; got {BootstrapReplicates}.");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1)) throw new ArgumentException($"the confidence level must lie in (0, 1); got {ConfidenceLevel}.");
        if (Threads < 1) throw new ArgumentException($"threads must be >= 1; got {Threads}.");
        if (UserNetwork is { } net)
        {
            var spec = net.Spec;
            if (spec.InputWidth != Length) throw new ArgumentException($"the network takes {spec.InputWidth} inputs; the chain has N = {Length} sites.");
            if (Seeds != 1) throw new ArgumentException("one given network is one seed; use --seeds 1 with --network.");
            if (Compressions.Count != 1 || !Objectives.SequenceEqual([spec.Objective]))
                throw new ArgumentException("with --network the compression and objective are the network's.");
            if (!CorrespondenceExperiment.Spec(this, spec.Objective, Compressions[0]).Equals(spec))
                throw new ArgumentException($"the network is {spec.Describe()}; --network takes the pyramids correspond trains (widths N, N/2, …, N/b; --architecture, --channels, --kernel as the network's).");
        }
        if (UserData is not null)
        {
            if (UserFit is null) throw new ArgumentException("user data need their fit of θ0.");
            if (UserData.Columns != Length) throw new ArgumentException($"the data have {UserData.Columns} sites per sample; N = {Length}.");
            if (UserData.Rows < 64) throw new ArgumentException($"--data holds {UserData.Rows} samples; at least 64 are needed (a quarter is held out to read the layers).");
            if (Objectives.Contains(Objective.Supervised))
                throw new ArgumentException("the supervised objective regresses the θ that generated each sample, which user data do not have; use --objectives autoencoder.");
        }
        if (SupervisedSpread is { } spread && spread.Count != Theta0.Values().Length)
            throw new ArgumentException($"the supervised spread needs {Theta0.Values().Length} values, one per parameter.");
    }
}
