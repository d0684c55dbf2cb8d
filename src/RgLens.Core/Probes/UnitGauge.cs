namespace RgLens.Probes;

/// <summary>
/// The gauge of one layer: the order in which its units are read as a chain and the sign of each.
/// Unit <c>Order[k]</c> of the layer becomes site k of the chain, multiplied by <c>Signs[Order[k]]</c>.
/// </summary>
/// <param name="Order">Original unit index of each chain site.</param>
/// <param name="Signs">+1 or −1 per original unit.</param>
/// <param name="Centroids">Centroid of each original unit's receptive field on the input chain (site units; NaN when undefined).</param>
public sealed record UnitGauge(IReadOnlyList<int> Order, IReadOnlyList<int> Signs, IReadOnlyList<double> Centroids)
{
    /// <summary>Index order, no sign change.</summary>
    public static UnitGauge Identity(int units) =>
        new(Enumerable.Range(0, units).ToArray(), Enumerable.Repeat(1, units).ToArray(), Enumerable.Repeat(double.NaN, units).ToArray());

    /// <summary>The same signs with the units in index order (the "index" reading's gauge).</summary>
    public UnitGauge InIndexOrder() => this with { Order = Enumerable.Range(0, Order.Count).ToArray() };

    /// <summary>Applies the gauge: columns reordered and sign-fixed.</summary>
    public Data.SampleMatrix<T> Apply<T>(Data.SampleMatrix<T> m) where T : unmanaged, System.Numerics.INumber<T>
    {
        if (m.Columns != Order.Count) throw new ArgumentException($"the gauge has {Order.Count} units; the matrix has {m.Columns} columns.");
        var r = new Data.SampleMatrix<T>(m.Rows, m.Columns);
        int cols = m.Columns;
        var order = Order as int[] ?? Order.ToArray();
        var negate = new bool[cols];
        for (int k = 0; k < cols; k++) negate[k] = Signs[order[k]] < 0;
        for (int row = 0; row < m.Rows; row++)
        {
            ReadOnlySpan<T> src = m.Row(row);
            var dst = r.Row(row);
            for (int k = 0; k < cols; k++)
            {
                T v = src[order[k]];
                dst[k] = negate[k] ? -v : v;
            }
        }
        return r;
    }

    /// <summary>
    /// One row of the gauge-fixed matrix without building the matrix: dst[k] = ±src[Order[k]].
    /// The readings of wide layers use it to go straight from the network's pre-activations to
    /// spins or columns, instead of first copying a samples × units matrix.
    /// </summary>
    internal Fixer Rows() => new(this);

    /// <summary>The gauge's order and sign flips as arrays, for row-at-a-time use.</summary>
    internal readonly struct Fixer
    {
        private readonly int[] _order;
        private readonly float[] _sign;

        public Fixer(UnitGauge gauge)
        {
            _order = gauge.Order as int[] ?? gauge.Order.ToArray();
            _sign = new float[_order.Length];
            for (int k = 0; k < _order.Length; k++) _sign[k] = gauge.Signs[_order[k]] < 0 ? -1f : 1f;
        }

        /// <summary>Site k's value in a row of the network's units: a multiplication by ±1 (exact, and without a branch to mispredict).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public float At(ReadOnlySpan<float> row, int k) => row[_order[k]] * _sign[k];
    }
}
