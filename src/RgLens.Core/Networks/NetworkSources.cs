using RgLens.Data;

namespace RgLens.Networks;

/// <summary>Opens a network file of any supported format: RgLens NPZ or ONNX.</summary>
public static class NetworkSources
{
    /// <summary>
    /// Opens <paramref name="path"/>, choosing the format by content (an NPZ archive starts with a
    /// zip header; anything else is read as ONNX) and naming the layers to return.
    /// </summary>
    /// <param name="path">The network file.</param>
    /// <param name="layers">Layer names to return; null for the default (RgLens: every hidden layer's
    /// pre-activation and activation; ONNX: the output of every activation node).</param>
    /// <param name="threads">Threads for inference; results do not depend on it beyond float rounding of ONNX Runtime's kernels.</param>
    /// <exception cref="DataFormatException">Missing, truncated or unreadable file, or an unknown layer name (one line).</exception>
    public static INetworkSource Open(string path, IReadOnlyList<string>? layers = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        return IsRgLensFile(path) ? new NpzNetworkSource(path, layers, threads) : new OnnxNetworkSource(path, layers, threads);
    }

    /// <summary>Whether <paramref name="path"/> is an RgLens NPZ network (a zip header or the .npz extension); otherwise it is taken for ONNX.</summary>
    /// <exception cref="DataFormatException">A missing file, a folder, or something that is not a regular file.</exception>
    public static bool IsRgLensFile(string path)
    {
        IO.InputFile.Require(path, "network file");
        Span<byte> head = stackalloc byte[4];
        int read;
        using (var f = File.OpenRead(path)) read = f.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        bool zip = read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
        return zip || Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Checks a batch: at least one row, the expected width (when known), finite values.</summary>
    internal static void CheckInput(SampleMatrix<float> input, int? width)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rows == 0) throw new DataFormatException("the data hold no samples.");
        if (width is int n && input.Columns != n)
            throw new DataFormatException($"the data have {input.Columns} values per sample; the network takes {n} inputs.");
        var d = input.Data;
        for (long i = 0; i < d.LongLength; i++)
            if (!float.IsFinite(d[i]))
                throw new DataFormatException($"the data hold {d[i]} at row {i / input.Columns + 1}, column {i % input.Columns + 1}; inputs must be finite.");
    }

    /// <summary>The selected names, checked against those available; the error lists them.</summary>
    internal static string[] Select(IReadOnlyList<string> requested, IReadOnlyCollection<string> available, string path)
    {
        foreach (string name in requested)
            if (!available.Contains(name))
            {
                const int Shown = 40;
                string list = string.Join(", ", available.Take(Shown)) + (available.Count > Shown ? $", … ({available.Count} in all)" : "");
                throw new DataFormatException($"'{path}' has no layer '{name}'; its layers are {list}.");
            }
        return requested.Distinct().ToArray();
    }
}
