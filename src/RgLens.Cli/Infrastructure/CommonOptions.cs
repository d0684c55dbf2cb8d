using System.CommandLine;

namespace RgLens.Cli.Infrastructure;

/// <summary>Options shared by several commands: <c>--seed</c> and <c>--threads</c>.</summary>
public static class CommonOptions
{
    /// <summary><c>--seed</c>: every random draw of the run flows from it.</summary>
    public static Option<long> Seed() => new("--seed") { Description = "Random seed (>= 0); same seed, same numbers.", DefaultValueFactory = _ => 1 };

    /// <summary><c>--threads</c>: worker threads; results do not depend on it.</summary>
    public static Option<int> Threads() => new("--threads") { Description = "Worker threads (0: one per core). Results do not depend on it.", DefaultValueFactory = _ => 0 };

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
        if (t < 0) throw new UsageException($"--threads must be >= 0; got {t}.");
        return t == 0 ? Environment.ProcessorCount : t;
    }
}
