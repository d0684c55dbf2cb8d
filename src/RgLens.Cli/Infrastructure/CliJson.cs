using System.Text.Json.Nodes;
using RgLens.IO;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// The one JSON convention of every command: an envelope <c>{"rglens_version", "schema_version",
/// "command", …payload}</c> (an object payload's fields follow the envelope's; anything else
/// goes under "result"). Errors under <c>--json</c> are one such object on stderr with an "error"
/// field, on one line.
/// </summary>
public static class CliJson
{
    /// <summary>The version of the JSON shapes; raised when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The envelope around <paramref name="payload"/>.</summary>
    public static JsonObject Envelope(string command, JsonNode? payload)
    {
        var o = new JsonObject
        {
            ["rglens_version"] = RunManifest.Version,
            ["schema_version"] = SchemaVersion,
            ["command"] = command,
        };
        if (payload is JsonObject fields)
        {
            foreach (var (key, value) in fields.ToArray())
            {
                if (o.ContainsKey(key)) continue;
                fields.Remove(key);
                o[key] = value;
            }
        }
        else
        {
            o["result"] = payload;
        }
        return o;
    }

    /// <summary>Writes the payload in its envelope to standard output.</summary>
    public static void Write(CliContext ctx, string command, JsonNode? payload) => JsonOutput.Write(ctx.Output, Envelope(command, payload));

    /// <summary>An error as one line of JSON.</summary>
    public static string Error(string command, string message, int exitCode)
    {
        var o = Envelope(command, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["exit_code"] = exitCode } });
        return o.ToJsonString(s_oneLine);
    }

    private static readonly System.Text.Json.JsonSerializerOptions s_oneLine = new(JsonOutput.Options) { WriteIndented = false };
}
