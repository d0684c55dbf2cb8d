using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Probes;

/// <summary>
/// Fixes the two symmetries of a fully connected tanh layer before anything is compared (see
/// docs/theory-choices.md, "Gauge"). A unit and its outgoing weights can change sign together, and
/// units can be permuted, without changing what the network computes; a reading that depends on
/// either choice measures the initialization, not the network.
/// <list type="bullet">
/// <item><b>Sign</b>: each unit is oriented so that its pre-activation correlates positively with
/// the input's magnetization (the row mean of the input). When that correlation is below
/// <see cref="SignTolerance"/> in magnitude (a unit blind to the magnetization), the unit's own mean
/// pre-activation decides; a unit with neither keeps its sign.</item>
/// <item><b>Order</b>: units are ordered by the centroid of their effective receptive field
/// |W_l|·…·|W_1| on the input chain: the circular mean of site angles 2πi/N for a periodic chain
/// (sites counted from 0, so the chain starts at input site 0), the weighted mean of i for an open
/// one. Ties (a unit that sees the whole ring uniformly has no centroid) are broken by the
/// sign-fixed mean pre-activation, then by unit index.</item>
/// </list>
/// Both rules depend only on the function the network computes and on |W|, which no sign flip or
/// permutation of any layer changes, so every gauge-fixed reading is invariant under both.
/// </summary>
public static class Gauge
{
    /// <summary>|correlation| below which a unit's sign falls back to its own mean.</summary>
    public const double SignTolerance = 1e-6;

    /// <summary>The gauge of layer <paramref name="layer"/> (1 … depth) of <paramref name="network"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="inputs">The probe inputs (samples × N).</param>
    /// <param name="preActivations">The layer's pre-activations on those inputs.</param>
    /// <param name="periodic">Whether the input chain is a ring.</param>
    public static UnitGauge Fix(Network network, int layer, SampleMatrix<float> inputs, SampleMatrix<float> preActivations, bool periodic)
    {
        ArgumentNullException.ThrowIfNull(network);
        var field = ReceptiveField(network, layer);
        return Fix(field, network.Spec.InputWidth, inputs, preActivations, periodic);
    }

    /// <summary>The gauge from a receptive field (units × N, nonnegative), the inputs and the pre-activations.</summary>
    public static UnitGauge Fix(double[,] receptiveField, int inputWidth, SampleMatrix<float> inputs, SampleMatrix<float> preActivations, bool periodic)
    {
        int units = preActivations.Columns, rows = preActivations.Rows;
        if (receptiveField.GetLength(0) != units || receptiveField.GetLength(1) != inputWidth)
            throw new ArgumentException("the receptive field does not match the layer.");
        if (inputs.Rows != rows) throw new ArgumentException("inputs and pre-activations must have the same rows.");

        // Sign: covariance with the input's magnetization.
        var magnet = Magnetization(inputs);
        var signs = new int[units];
        var means = new double[units];
        var column = new double[rows];
        for (int j = 0; j < units; j++)
        {
            for (int r = 0; r < rows; r++) column[r] = preActivations[r, j];
            signs[j] = Sign(column, magnet);
            means[j] = signs[j] * column.Average();
        }

        // Order: centroid of the receptive field.
        var centroids = new double[units];
        for (int j = 0; j < units; j++)
        {
            double w = 0, c = 0, s = 0, lin = 0;
            for (int i = 0; i < inputWidth; i++)
            {
                double f = receptiveField[j, i];
                w += f;
                lin += f * i;
                double angle = 2 * Math.PI * i / inputWidth;
                c += f * Math.Cos(angle);
                s += f * Math.Sin(angle);
            }
            if (!(w > 0)) { centroids[j] = double.NaN; continue; }
            if (!periodic) { centroids[j] = lin / w; continue; }
            double resultant = Math.Sqrt(c * c + s * s) / w;
            if (resultant < 1e-9) { centroids[j] = double.NaN; continue; }
            double a = Math.Atan2(s, c);
            if (a < 0) a += 2 * Math.PI;
            centroids[j] = a * inputWidth / (2 * Math.PI);
        }
        var order = Enumerable.Range(0, units)
            .OrderBy(j => double.IsNaN(centroids[j]) ? double.PositiveInfinity : Math.Round(centroids[j], 9))
            .ThenBy(j => means[j])
            .ThenBy(j => j)
            .ToArray();
        return new UnitGauge(order, signs, centroids);
    }

    /// <summary>The row means of the input (its magnetization per sample).</summary>
    public static double[] Magnetization(SampleMatrix<float> inputs)
    {
        var magnet = new double[inputs.Rows];
        for (int r = 0; r < inputs.Rows; r++)
        {
            double s = 0;
            foreach (float v in inputs.Row(r)) s += v;
            magnet[r] = s / inputs.Columns;
        }
        return magnet;
    }

    /// <summary>The sign rule for one unit (or one channel's mean): +1 or −1.</summary>
    public static int Sign(IReadOnlyList<double> preActivation, IReadOnlyList<double> magnetization)
    {
        int rows = preActivation.Count;
        double ma = preActivation.Average(), mm = magnetization.Average(), cov = 0, va = 0, vm = 0;
        for (int r = 0; r < rows; r++)
        {
            double d = preActivation[r] - ma, e = magnetization[r] - mm;
            cov += d * e;
            va += d * d;
            vm += e * e;
        }
        double corr = va > 0 && vm > 0 ? cov / Math.Sqrt(va * vm) : 0;
        return Math.Abs(corr) >= SignTolerance ? Math.Sign(corr) : ma < 0 ? -1 : 1;
    }

    /// <summary>|W_l|·…·|W_1| (units of layer l × input sites).</summary>
    public static double[,] ReceptiveField(Network network, int layer)
    {
        ArgumentNullException.ThrowIfNull(network);
        var widths = network.Spec.Widths;
        if (layer < 1 || layer > network.Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layers are 1 … {network.Depth}.");
        int n = widths[0];
        var field = new double[n, n];
        for (int i = 0; i < n; i++) field[i, i] = 1;
        for (int l = 1; l <= layer; l++)
        {
            var w = network.GetWeights(l);
            int outs = widths[l], ins = widths[l - 1];
            var next = new double[outs, n];
            for (int o = 0; o < outs; o++)
                for (int k = 0; k < ins; k++)
                {
                    double a = Math.Abs(w[o * ins + k]);
                    if (a == 0) continue;
                    for (int i = 0; i < n; i++) next[o, i] += a * field[k, i];
                }
            // Rescale each row (only the shape matters) so that deep products stay finite.
            for (int o = 0; o < outs; o++)
            {
                double max = 0;
                for (int i = 0; i < n; i++) max = Math.Max(max, next[o, i]);
                if (max > 0) for (int i = 0; i < n; i++) next[o, i] /= max;
            }
            field = next;
        }
        return field;
    }
}
