namespace RgLens.Models;

/// <summary>The registry of chain families RgLens knows, looked up by command-line name.</summary>
public static class ChainFamilies
{
    /// <summary>Every family, in the order the CLI lists them.</summary>
    public static IReadOnlyList<ChainFamily> All { get; } =
        [IsingFamily.Instance, GaussianFamily.Instance, Phi4Family.Instance, PoissonFamily.Instance, GammaFamily.Instance, BernoulliFamily.Instance];

    /// <summary>The family called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="RgLensException">No family has that name.</exception>
    public static ChainFamily Find(string name)
    {
        foreach (var f in All)
            if (string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) return f;
        throw new RgLensException($"unknown model '{name}'; known models: {string.Join(", ", All.Select(f => f.Name))}.");
    }
}
