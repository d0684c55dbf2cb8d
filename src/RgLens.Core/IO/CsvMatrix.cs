using System.Globalization;
using System.Numerics;
using System.Text;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Numeric CSV for samples × sites matrices: one sample per line, values separated by commas,
/// an optional header line of names. Numbers only, so a hand-written reader is enough and
/// reports the exact line, row and column of any problem. The same reader takes text whose
/// values are separated by spaces or tabs (<see cref="Whitespace"/>; lines starting with
/// <c>#</c> are comments, as <c>numpy.savetxt</c> writes them; a line with commas is read as CSV).
/// </summary>
public static class CsvMatrix
{
    /// <summary>
    /// The longest line read (characters): 16 Mi, room for a million values per row. A longer line
    /// (a binary file, a file with no line breaks) is refused when it passes the limit, so reading
    /// never holds more than this much of one line.
    /// </summary>
    public const int MaxLineChars = 1 << 24;

    /// <summary>The separator that stands for any run of spaces and tabs.</summary>
    public const char Whitespace = ' ';

    /// <summary>Values kept per block while reading: the matrix grows in blocks, never by copying a whole list.</summary>
    private const int BlockValues = 1 << 20;

    /// <summary>Reads <paramref name="path"/>; every row must have the same number of values.</summary>
    /// <param name="path">The file.</param>
    /// <param name="separator">',' for CSV, <see cref="Whitespace"/> for values separated by any run of spaces or tabs.</param>
    /// <param name="rule">What every value must satisfy, checked as each line is read (default: any value).</param>
    /// <exception cref="DataFormatException">Missing file, non-numeric values, ragged rows, no rows, or a value the rule refuses.</exception>
    /// <remarks>
    /// The text is read one line at a time and each value is converted to <typeparamref name="T"/>
    /// at once, into blocks of <see cref="BlockValues"/>; at the end the blocks are copied into the
    /// matrix one by one, so the peak is at most twice the matrix in <typeparamref name="T"/>
    /// (the row count of a text file is not known before its end), never the text.
    /// </remarks>
    public static SampleMatrix<T> Read<T>(string path, char separator = ',', ValueRule? rule = null) where T : unmanaged, INumber<T>
    {
        rule ??= ValueRule.Any;
        using var stream = Npy.OpenForReading(path);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var blocks = new List<T[]>();
        long count = 0;
        int columns = -1, rows = 0, lineNo = 0;
        string? line;
        var buffer = new StringBuilder();
        // Index i is row i / columns (the current line's number is known when a value is refused).
        Func<long, string> where = i => $"row {rows + 1}, column {i % Math.Max(columns, 1) + 1} (line {lineNo})";
        while ((line = ReadLine(reader, buffer, path, lineNo + 1)) is not null)
        {
            RunCancellation.ThrowIfRequested();
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (separator == Whitespace && line.TrimStart().StartsWith('#')) continue;
            // Text with commas is read as CSV whatever its name says (e.g. a .txt of comma-separated values).
            var cells = separator == Whitespace && !line.Contains(',')
                ? line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                : line.Split(separator == Whitespace ? ',' : separator);
            if (rows == 0 && columns < 0 && cells.All(c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                continue; // a header line of names
            if (columns < 0) columns = cells.Length;
            else if (cells.Length != columns)
                throw new DataFormatException($"'{path}' line {lineNo} (row {rows + 1}) has {cells.Length} values; earlier rows have {columns} (rows of different lengths).");
            if (count + columns > Array.MaxLength)
                throw new DataFormatException($"'{path}' holds more values than one array holds ({Array.MaxLength:N0}).");
            for (int c = 0; c < cells.Length; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new DataFormatException($"'{path}' line {lineNo} (row {rows + 1}), column {c + 1}: '{cells[c].Trim()}' is not a number.");
                if ((int)(count % BlockValues) == 0) blocks.Add(new T[BlockValues]);
                blocks[^1][count % BlockValues] = rule.Convert<T>(v, path, count, where);
                count++;
            }
            rows++;
        }
        if (rows == 0) throw new DataFormatException($"'{path}' holds no data rows.");
        var values = Numerics.LargeArrays.NewUninitialized<T>(count);
        for (int b = 0; b < blocks.Count; b++)
        {
            long first = (long)b * BlockValues;
            int n = (int)Math.Min(BlockValues, count - first);
            blocks[b].AsSpan(0, n).CopyTo(values.AsSpan((int)first, n));
            blocks[b] = null!; // each block may go as soon as it is copied
        }
        return new SampleMatrix<T>(values, rows, columns);
    }

    /// <summary>One line (without its \n or \r\n), or null at the end; longer than <see cref="MaxLineChars"/> is an error.</summary>
    private static string? ReadLine(StreamReader reader, StringBuilder buffer, string path, int lineNo)
    {
        buffer.Clear();
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            if (ch == '\n') break;
            // A long line (up to 16 Mi characters) is looked through for the run's cancellation every 1 Mi.
            if ((buffer.Length & 0xFFFFF) == 0xFFFFF) RunCancellation.ThrowIfRequested();
            if (buffer.Length >= MaxLineChars)
                throw new DataFormatException($"'{path}' line {lineNo} is longer than {MaxLineChars:N0} characters; not a text table RgLens reads.");
            buffer.Append((char)ch);
        }
        if (ch < 0 && buffer.Length == 0) return null;
        if (buffer.Length > 0 && buffer[^1] == '\r') buffer.Length--;
        return buffer.ToString();
    }

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/> atomically, shortest round-trip formatting.</summary>
    public static void Write<T>(string path, SampleMatrix<T> matrix) where T : unmanaged, INumber<T>
    {
        using var file = AtomicFile.Create(path);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            for (int r = 0; r < matrix.Rows; r++)
            {
                var row = matrix.Row(r);
                for (int c = 0; c < row.Length; c++)
                {
                    if (c > 0) writer.Write(',');
                    writer.Write(row[c].ToString(null, CultureInfo.InvariantCulture));
                }
                writer.Write('\n');
            }
        }
        file.Commit();
    }
}
