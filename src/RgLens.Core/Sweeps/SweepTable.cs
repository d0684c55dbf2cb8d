using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using RgLens.IO;

namespace RgLens.Sweeps;

/// <summary>
/// The merged table of a sweep: one row per cell × claim, in cell order, as CSV (RFC 4180, invariant
/// numbers, NaN for missing numbers) and as Parquet (Parquet.Net; one row group; readable by pandas
/// and pyarrow). Axis columns come first, numeric when every value of the axis is a number. Neither
/// file holds a timing, so an interrupted and resumed sweep gives the same bytes as an uninterrupted one.
/// </summary>
public static class SweepTable
{
    /// <summary>Writes results.csv and results.parquet into <paramref name="folder"/>, atomically.</summary>
    public static void Write(string folder, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "results.csv"), Csv(axes, rows));
        AtomicFile.WriteAllBytes(Path.Combine(folder, "results.parquet"), Parquet(axes, rows));
    }

    /// <summary>Whether every value of the axis is a number.</summary>
    public static bool IsNumeric(SweepAxis axis) =>
        axis.Values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    /// <summary>The CSV text.</summary>
    public static string Csv(IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows)
    {
        var s = new StringBuilder();
        s.AppendJoin(',', new[] { "cell" }.Concat(axes.Select(a => a.Name)).Concat(SweepRow.Columns).Select(Field)).Append('\n');
        foreach (var r in rows)
        {
            var fields = new List<string> { r.Cell.ToString(CultureInfo.InvariantCulture) };
            fields.AddRange(axes.Select(a => Field(r.Coordinates.First(c => c.Axis == a.Name).Value)));
            fields.AddRange(SweepRow.Columns.Select(c => r.Value(c) switch
            {
                double v => v.ToString("R", CultureInfo.InvariantCulture),
                int v => v.ToString(CultureInfo.InvariantCulture),
                bool v => v ? "true" : "false",
                string v => Field(v),
                _ => "",
            }));
            s.AppendJoin(',', fields).Append('\n');
        }
        return s.ToString();
    }

    private static string Field(string v) =>
        v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    /// <summary>The Parquet bytes.</summary>
    public static byte[] Parquet(IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepRow> rows)
    {
        // Each column: its field and the call that writes it into the row group.
        var columns = new List<(DataField Field, Func<ParquetRowGroupWriter, DataField, Task> Write)>();
        void Add<T>(string name, T[] values) where T : struct =>
            columns.Add((new DataField<T>(name), (g, f) => g.WriteAsync<T>(f, values.AsMemory())));
        void AddText(string name, string[] values) =>
            columns.Add((new DataField<string>(name), (g, f) => g.WriteAsync(f, values)));
        Add("cell", rows.Select(r => r.Cell).ToArray());
        foreach (var a in axes)
        {
            var values = rows.Select(r => r.Coordinates.First(c => c.Axis == a.Name).Value).ToArray();
            if (IsNumeric(a)) Add(a.Name, values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            else AddText(a.Name, values);
        }
        foreach (string c in SweepRow.Columns)
        {
            object sample = new SweepRow(0, [], "", "", "", "", "", false, "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, "", 0, 0, 0, 0, 0).Value(c);
            switch (sample)
            {
                case double: Add(c, rows.Select(r => (double)r.Value(c)).ToArray()); break;
                case int: Add(c, rows.Select(r => (int)r.Value(c)).ToArray()); break;
                case bool: Add(c, rows.Select(r => (bool)r.Value(c)).ToArray()); break;
                default: AddText(c, rows.Select(r => (string)r.Value(c)).ToArray()); break;
            }
        }
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        using var stream = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
        try
        {
            using var group = writer.CreateRowGroup();
            foreach (var (field, write) in columns) write(group, field).GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return stream.ToArray();
    }
}
