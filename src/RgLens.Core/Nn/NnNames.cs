namespace RgLens.Nn;

/// <summary>
/// The lower-case names of the network enums as the command line and the network file spell
/// them (<c>tanh</c>, <c>mse</c>, <c>autoencoder</c>, <c>xavier</c>, …), both ways.
/// </summary>
public static class NnNames
{
    private static readonly (Activation Value, string Name)[] s_activations =
        [(Activation.Identity, "identity"), (Activation.Tanh, "tanh"), (Activation.Sigmoid, "sigmoid"), (Activation.Relu, "relu")];

    private static readonly (Loss Value, string Name)[] s_losses = [(Loss.MeanSquaredError, "mse"), (Loss.BinaryCrossEntropy, "bce")];

    private static readonly (Objective Value, string Name)[] s_objectives = [(Objective.Autoencoder, "autoencoder"), (Objective.Supervised, "supervised")];

    private static readonly (InitScheme Value, string Name)[] s_inits = [(InitScheme.Auto, "auto"), (InitScheme.Xavier, "xavier"), (InitScheme.He, "he")];

    private static readonly (Padding Value, string Name)[] s_paddings = [(Padding.Circular, "circular"), (Padding.Zero, "zeros")];

    private static readonly (LayerKind Value, string Name)[] s_kinds = [(LayerKind.Dense, "dense"), (LayerKind.Conv1d, "conv1d")];

    /// <summary>The activation names: identity, tanh, sigmoid, relu.</summary>
    public static IReadOnlyList<string> Activations { get; } = s_activations.Select(a => a.Name).ToArray();

    /// <summary>The loss names: mse, bce.</summary>
    public static IReadOnlyList<string> Losses { get; } = s_losses.Select(a => a.Name).ToArray();

    /// <summary>The objective names: autoencoder, supervised.</summary>
    public static IReadOnlyList<string> Objectives { get; } = s_objectives.Select(a => a.Name).ToArray();

    /// <summary>The initialization names: auto, xavier, he.</summary>
    public static IReadOnlyList<string> Inits { get; } = s_inits.Select(a => a.Name).ToArray();

    /// <summary>The name of an activation.</summary>
    public static string Name(Activation value) => Lookup(s_activations, value);

    /// <summary>The name of a loss.</summary>
    public static string Name(Loss value) => Lookup(s_losses, value);

    /// <summary>The name of an objective.</summary>
    public static string Name(Objective value) => Lookup(s_objectives, value);

    /// <summary>The name of an initialization scheme.</summary>
    public static string Name(InitScheme value) => Lookup(s_inits, value);

    /// <summary>The name of a padding (circular, zeros — PyTorch's padding_mode).</summary>
    public static string Name(Padding value) => Lookup(s_paddings, value);

    /// <summary>The name of a layer kind (dense, conv1d).</summary>
    public static string Name(LayerKind value) => Lookup(s_kinds, value);

    /// <summary>The padding called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Padding ParsePadding(string name) => Parse(s_paddings, name, "padding");

    /// <summary>The layer kind called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static LayerKind ParseKind(string name) => Parse(s_kinds, name, "layer kind");

    /// <summary>The activation called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Activation ParseActivation(string name) => Parse(s_activations, name, "activation");

    /// <summary>The loss called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Loss ParseLoss(string name) => Parse(s_losses, name, "loss");

    /// <summary>The objective called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Objective ParseObjective(string name) => Parse(s_objectives, name, "objective");

    /// <summary>The initialization scheme called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static InitScheme ParseInit(string name) => Parse(s_inits, name, "initialization");

    private static string Lookup<T>((T Value, string Name)[] table, T value) where T : struct, Enum
    {
        foreach (var (v, n) in table)
            if (EqualityComparer<T>.Default.Equals(v, value)) return n;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"unknown {typeof(T).Name} value.");
    }

    private static T Parse<T>((T Value, string Name)[] table, string name, string what) where T : struct, Enum
    {
        foreach (var (v, n) in table)
            if (string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase)) return v;
        throw new ArgumentException($"unknown {what} '{name}'; expected one of {string.Join(", ", table.Select(t => t.Name))}.", nameof(name));
    }
}
