using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;

namespace RgLens.Cli.Commands.Bench;

/// <summary>The document every <c>rglens bench</c> command prints: the same header, then the benchmark's own fields.</summary>
internal static class BenchJson
{
    /// <summary>
    /// Writes <c>benchmark</c>, <c>tool</c>, <c>version</c> and (where the benchmark runs the
    /// vector kernels) <c>kernel_path</c>, followed by <paramref name="fields"/> in their order,
    /// inside the common JSON envelope of <c>command</c>.
    /// </summary>
    public static void Write(CliContext ctx, string benchmark, string? kernelPath, JsonObject fields)
    {
        var document = new JsonObject { ["benchmark"] = benchmark, ["tool"] = "rglens", ["version"] = RunManifest.Version };
        if (kernelPath is not null) document["kernel_path"] = kernelPath;
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            document[key] = value;
        }
        CliJson.Write(ctx, "bench " + benchmark, document);
    }
}
