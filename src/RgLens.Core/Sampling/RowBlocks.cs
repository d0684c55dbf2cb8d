using RgLens.Models;

namespace RgLens.Sampling;

/// <summary>
/// The row-block scheme shared by the samplers: rows 64k … 64k + 63 of a sample stream are drawn
/// by one worker from the random stream with index k, so a request for any row range (starting at
/// a multiple of 64) reproduces the same rows, whatever the thread count.
/// </summary>
internal static class RowBlocks
{
    /// <summary>Rows that share one random stream.</summary>
    public const int RowsPerStream = 64;

    /// <summary>
    /// Checks the destination shape and the first row, then calls <paramref name="body"/>(stream index,
    /// first row, end row, worker state) for every block of the destination, in parallel.
    /// </summary>
    public static void Run<TState>(ChainModel model, long firstRow, int rows, int columns, int threads, CancellationToken cancellation,
        Func<TState> state, Action<long, int, int, TState> body)
    {
        if (columns != model.Length) throw new ArgumentException($"destination has {columns} columns; the chain has N={model.Length}.", "destination");
        if (firstRow % RowsPerStream != 0) throw new ArgumentException($"firstRow must be a multiple of {RowsPerStream}.", nameof(firstRow));
        int streams = (rows + RowsPerStream - 1) / RowsPerStream;
        long firstStream = firstRow / RowsPerStream;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancellation };
        Parallel.For(0, streams, options, state, (s, _, local) =>
        {
            body(firstStream + s, s * RowsPerStream, Math.Min(rows, (s + 1) * RowsPerStream), local);
            return local;
        }, _ => { });
    }
}
