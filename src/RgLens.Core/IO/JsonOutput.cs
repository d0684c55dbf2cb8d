using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RgLens.IO;

/// <summary>
/// JSON for machines: indented, invariant, and with non-finite numbers written as the strings
/// "Infinity", "-Infinity" and "NaN" (Python's json module reads them back with float()).
/// </summary>
public static class JsonOutput
{
    /// <summary>The serializer options every JSON output of rglens uses.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A JSON number, or a named literal for ±∞ and NaN.</summary>
    public static JsonNode? Number(double value) => JsonValue.Create(value);

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());

    /// <summary>Serializes <paramref name="node"/>.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    /// <summary>Writes <paramref name="node"/> and a newline.</summary>
    public static void Write(TextWriter writer, JsonNode node) => writer.WriteLine(Serialize(node));
}
