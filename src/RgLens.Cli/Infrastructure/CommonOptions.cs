using System.CommandLine;

namespace RgLens.Cli.Infrastructure;

/// <summary>Options shared by several commands: <c>--seed</c> and <c>--threads</c>.</summary>
public static class CommonOptions
{
    /// <summary>The data files every <c>--data</c> and <c>--targets</c> option reads (<see cref="RgLens.IO.SampleFiles"/>), for their help.</summary>
    public const string DataFiles = ".npy, .csv, .txt (whitespace), .npz (file.npz:name) or HDF5 (file.h5:/dataset)";

    /// <summary><c>--seed</c>: every random draw of the run flows from it.</summary>
    public static Option<long> Seed() => new("--seed") { Description = "Random seed (>= 0); same seed, same numbers.", DefaultValueFactory = _ => 1 };

    /// <summary><c>--threads</c>: worker threads; results do not depend on it.</summary>
    public static Option<int> Threads() => new("--threads") { Description = "Worker threads (0: one per core). Results do not depend on it.", DefaultValueFactory = _ => 0 };

    /// <summary>The longest measuring time a benchmark accepts per configuration, in seconds.</summary>
    public const double MaxSeconds = 3600;

    /// <summary><c>--seconds</c> of the benchmarks: measuring time per configuration.</summary>
    public static Option<double> Seconds() => new("--seconds") { Description = $"Measuring time per configuration, in (0, {MaxSeconds}] seconds.", DefaultValueFactory = _ => 3.0 };

    /// <summary>The measuring time, checked: finite, positive and at most <see cref="MaxSeconds"/> (NaN, ∞, 0 or a negative would never end or never measure).</summary>
    public static double SecondsValue(ParseResult r, Option<double> o)
    {
        double s = r.GetValue(o);
        if (!(s > 0 && s <= MaxSeconds)) throw new UsageException($"{o.Name} must be a finite number of seconds in (0, {MaxSeconds}]; got {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        return s;
    }

    /// <summary>The seed, checked.</summary>
    public static ulong SeedValue(ParseResult r, Option<long> o)
    {
        long s = r.GetValue(o);
        if (s < 0) throw new UsageException($"--seed must be >= 0; got {s}.");
        return (ulong)s;
    }

    /// <summary>The thread count, checked and resolved (0 → one per core).</summary>
    public static int ThreadsValue(ParseResult r, Option<int> o)
    {
        int t = r.GetValue(o);
        return CheckThreads(t, o.Name) is 0 ? Environment.ProcessorCount : t;
    }

    /// <summary>A thread count checked to lie in [0, <see cref="Nn.TrainingFootprint.MaxThreads"/>] (0: the caller's default).</summary>
    public static int CheckThreads(int t, string name = "--threads")
    {
        if (t < 0) throw new UsageException($"{name} must be >= 0; got {t}.");
        if (t > Nn.TrainingFootprint.MaxThreads)
            throw new UsageException($"{name} {t} is more than the {Nn.TrainingFootprint.MaxThreads} threads rglens allows (this machine has {Environment.ProcessorCount} cores).");
        return t;
    }
}
