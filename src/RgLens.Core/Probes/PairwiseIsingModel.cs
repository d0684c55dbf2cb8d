namespace RgLens.Probes;

/// <summary>
/// An all-pairs Ising model of M binary units, p(y) ∝ exp(Σ_j h_j y_j + Σ_{i&lt;j} J_ij y_i y_j), fitted
/// without assuming any order of the units (docs/theory.md, "Readings").
/// </summary>
/// <param name="Fields">h_j.</param>
/// <param name="Couplings">J_ij, symmetric, zero diagonal.</param>
/// <param name="Regularization">The L2 penalty used in the fit (per sample).</param>
public sealed record PairwiseIsingModel(double[] Fields, double[,] Couplings, double Regularization)
{
    /// <summary>Number of units M.</summary>
    public int Units => Fields.Length;

    /// <summary>max_{i≠j} |J_ij|.</summary>
    public double MaxAbsCoupling
    {
        get
        {
            double m = 0;
            for (int i = 0; i < Units; i++)
                for (int j = i + 1; j < Units; j++) m = Math.Max(m, Math.Abs(Couplings[i, j]));
            return m;
        }
    }

    /// <summary>Mean of J_{j,j+1} over neighbours in index order: the chain coupling seen by the all-pairs fit.</summary>
    public double MeanNeighbourCoupling
    {
        get
        {
            double s = 0;
            for (int j = 0; j + 1 < Units; j++) s += Couplings[j, j + 1];
            return Units > 1 ? s / (Units - 1) : 0;
        }
    }
}
