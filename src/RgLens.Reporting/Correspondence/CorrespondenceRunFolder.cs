using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Experiments;
using RgLens.IO;

namespace RgLens.Reporting.Correspondence;

/// <summary>
/// Writes a correspondence run's folder: the figures (PNG, SVG), report.html and, last, run.json
/// (the manifest: configuration, seed, version, timings, the claims and every number), each file
/// atomically. run.json is written last so that a folder with a run.json is a complete run.
/// </summary>
public static class CorrespondenceRunFolder
{
    /// <summary>Writes the folder; returns the manifest's results (the claims first).</summary>
    /// <param name="result">The run.</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="commandLine">The command line, recorded in the manifest and the report.</param>
    /// <param name="experimentSeconds">Wall time of the experiment.</param>
    public static JsonObject Write(CorrespondenceResult result, string folder, string commandLine, double experimentSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var manifest = new RunManifest("correspond", commandLine, result.Config.Seed);
        manifest.Parameters["config"] = CorrespondenceJson.Config(result.Config);
        manifest.AddTiming("experiment", experimentSeconds);
        foreach (var (stage, seconds) in result.Timings) manifest.AddTiming(stage, seconds);
        var clock = Stopwatch.StartNew();
        var files = CorrespondenceReport.Write(result, folder, commandLine);
        manifest.AddTiming("report", clock.Elapsed.TotalSeconds);
        var results = CorrespondenceJson.Result(result);
        manifest.Results["files"] = new JsonArray(files.Prepend("run.json").Select(f => (JsonNode?)f).ToArray());
        foreach (var (key, value) in results.ToArray())
        {
            results.Remove(key);
            manifest.Results[key] = value;
        }
        manifest.Write(Path.Combine(folder, "run.json"));
        return manifest.Results;
    }
}
