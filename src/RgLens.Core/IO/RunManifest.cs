using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace RgLens.IO;

/// <summary>
/// The manifest of a run (docs/reliability.md): command line, seed, versions, machine, parameters,
/// results and timings, written atomically as JSON. Re-running the recorded command line with the
/// recorded seed reproduces the run's numbers.
/// </summary>
public sealed class RunManifest
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Starts a manifest for <paramref name="command"/>.</summary>
    public RunManifest(string command, string commandLine, ulong? seed)
    {
        Command = command;
        CommandLine = commandLine;
        Seed = seed;
        StartedUtc = DateTime.UtcNow;
    }

    /// <summary>The subcommand, e.g. <c>sample</c>.</summary>
    public string Command { get; }

    /// <summary>The full command line.</summary>
    public string CommandLine { get; }

    /// <summary>The user seed, when the run is random.</summary>
    public ulong? Seed { get; }

    /// <summary>When the run started.</summary>
    public DateTime StartedUtc { get; }

    /// <summary>Inputs (model, sizes, options).</summary>
    public JsonObject Parameters { get; } = new();

    /// <summary>Outputs (numbers, file names).</summary>
    public JsonObject Results { get; } = new();

    /// <summary>Seconds per stage.</summary>
    public JsonObject Timings { get; } = new();

    /// <summary>The RgLens version (with the commit, when the build recorded it).</summary>
    public static string Version =>
        typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Records the duration of a stage in seconds.</summary>
    public void AddTiming(string stage, double seconds) => Timings[stage] = Math.Round(seconds, 4);

    /// <summary>The manifest as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["tool"] = "rglens",
        ["version"] = Version,
        ["command"] = Command,
        ["command_line"] = CommandLine,
        ["seed"] = Seed is ulong s ? JsonValue.Create(s) : null,
        ["started_utc"] = StartedUtc.ToString("o"),
        ["machine"] = new JsonObject
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["cores"] = Environment.ProcessorCount,
            ["vector512"] = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
        },
        ["parameters"] = Parameters.DeepClone(),
        ["results"] = Results.DeepClone(),
        ["timings"] = Timings.DeepClone(),
        ["wall_seconds"] = Math.Round(_clock.Elapsed.TotalSeconds, 4),
    };

    /// <summary>Writes the manifest to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonOutput.Serialize(ToJson()) + "\n");
}
