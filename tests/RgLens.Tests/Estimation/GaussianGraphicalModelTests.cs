using MathNet.Numerics.LinearAlgebra;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Sampling;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Estimation;

public class GaussianGraphicalModelTests
{
    [Fact]
    public void RecoversTheChainsPrecisionMatrix()
    {
        // An open Gaussian chain has precision a on the diagonal and −K on the bonds, 0 elsewhere.
        var p = new GaussianParameters(2, 0.7, 0.3);
        const int n = 8, rows = 40_000;
        var data = ChainSampler.Sample(new ChainModel(p, n, Boundary.Open), rows, seed: 4);
        var fit = GaussianGraphicalModel.Fit(data, new FitOptions { Replicates = 100 });
        // The sampling sd of a precision entry is O(a/√rows) ≈ 0.01; 0.06 is ≥ 4 of them.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = i == j ? 2 : Math.Abs(i - j) == 1 ? -0.7 : 0;
                Assert.True(Math.Abs(fit.Precision[i, j] - expected) < 0.06, $"Q[{i},{j}] = {fit.Precision[i, j]}");
                if (i != j) Assert.Equal(-fit.Precision[i, j], fit.Couplings[i, j]);
            }
        Assert.All(fit.NeighbourCouplings(), j => Assert.True(Math.Abs(j - 0.7) < 0.06));
        Assert.True(fit.MaxAbsCoupling.Covers(0.7) || Math.Abs(fit.MaxAbsCoupling.Estimate - 0.7) < 0.06);
        Assert.Equal(1, Math.Abs(fit.StrongestPair.I - fit.StrongestPair.J));
        // Multi-information against the exact covariance of the chain.
        var exact = new GaussianDense(p, n, Boundary.Open).Covariance;
        double info = 0.5 * Enumerable.Range(0, n).Sum(i => Math.Log(exact[i, i])) - 0.5 * Math.Log(exact.Determinant());
        Assert.True(Math.Abs(fit.MultiInformation.Estimate - info) < Tolerances.StandardErrors * fit.MultiInformation.StandardError,
            $"I = {fit.MultiInformation.Estimate} vs {info}, se {fit.MultiInformation.StandardError}");
    }

    [Fact]
    public void MatchesDenseLinearAlgebraOnTheSampleCovariance()
    {
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(1.5, -0.4, 0.2), 5), 300, seed: 8);
        var fit = GaussianGraphicalModel.Fit(data, new FitOptions { Replicates = 0 });
        var x = Matrix<double>.Build.Dense(300, 5, (r, c) => data[r, c]);
        var mean = x.ColumnSums() / 300;
        var centred = x - Matrix<double>.Build.Dense(300, 5, (_, c) => mean[c]);
        var cov = centred.TransposeThisAndMultiply(centred) / 300;
        var q = cov.Inverse();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(cov[i, j], fit.Covariance[i, j], 1e-12);
                Assert.Equal(q[i, j], fit.Precision[i, j], 1e-9);
            }
        Assert.True(double.IsNaN(fit.MaxAbsCoupling.Lower));
    }

    [Fact]
    public void IndependentUnitsHaveSmallCouplingsAndInformation()
    {
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(1, 0, 0), 6, Boundary.Open), 20_000, seed: 2);
        var fit = GaussianGraphicalModel.Fit(data, new FitOptions { Replicates = 50 });
        // Each J_ij has sd ≈ 1/√rows ≈ 0.007; the information's bias is ≈ (pairs)/(2 rows) ≈ 4e-4.
        Assert.True(fit.MaxAbsCoupling.Estimate < 0.04, $"{fit.MaxAbsCoupling.Estimate}");
        Assert.True(fit.MultiInformation.Estimate < 0.003, $"{fit.MultiInformation.Estimate}");
    }

    [Fact]
    public void BadDataAreRejectedWithAReason()
    {
        var few = new SampleMatrix<double>(new double[4 * 5], 4, 5);
        Assert.Contains("more than 5 samples", Assert.Throws<DataFormatException>(() => GaussianGraphicalModel.Fit(few)).Message);
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(1, 0.2, 0), 4, Boundary.Open), 50, seed: 1);
        for (int r = 0; r < 50; r++) data[r, 2] = 3;
        Assert.Contains("unit 2 is constant", Assert.Throws<DataFormatException>(() => GaussianGraphicalModel.Fit(data)).Message);
        for (int r = 0; r < 50; r++) data[r, 2] = data[r, 0] + data[r, 1];
        Assert.Contains("singular", Assert.Throws<DataFormatException>(() => GaussianGraphicalModel.Fit(data)).Message);
    }
}
