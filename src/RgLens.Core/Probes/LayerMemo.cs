using System.Collections.Concurrent;

namespace RgLens.Probes;

/// <summary>
/// Quantities that several readings of one layer share, computed once by whichever reading asks
/// first and handed to the others. Only quantities that every asker computes in the same way, to
/// the same bits, belong here (each key says what it holds), so the result does not depend on
/// which reading got there first, on the threads, or on whether a memo is given at all.
/// </summary>
public sealed class LayerMemo
{
    /// <summary>
    /// The Gaussian multi-information of the sign-fixed spins y = ±sign(a), from their exact Gram
    /// matrix put in the network's unit order: the "sign" and "index" readings read the same spins
    /// in two column orders.
    /// </summary>
    internal const string SignSpinsMultiInformation = "sign-spins-multi-information";

    private readonly ConcurrentDictionary<string, Lazy<double>> _values = new();

    /// <summary>The value under <paramref name="key"/>, computed by <paramref name="compute"/> when no reading has yet.</summary>
    internal double GetOrCompute(string key, Func<double> compute) =>
        _values.GetOrAdd(key, _ => new Lazy<double>(compute, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
