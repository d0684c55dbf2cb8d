using MathNet.Numerics.Distributions;
using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Sampling;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Sampling;

public class GridSamplerTests
{
    public static TheoryData<string, double[], int, Boundary, int> Models()
    {
        var data = new TheoryData<string, double[], int, Boundary, int>();
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
        {
            data.Add("phi4", [-1, 0.5, 0.4, 0.3], 17, b, 20_000);
            data.Add("phi4", [2, 0.2, -0.9, 0.0], 2, b, 20_000);
            data.Add("phi4", [0.5, 1.0, 1.2, -0.2], 3, b, 20_000);
            data.Add("poisson", [3, -0.2], 17, b, 20_000);
            data.Add("poisson", [0.8, -1.0], 2, b, 20_000);
            data.Add("bernoulli", [-1.4, 2.0], 17, b, 20_000);
            data.Add("gamma", [2, 1, -0.2], 5, b, 4_000);
            data.Add("gamma", [0.8, 2, -1.0], 2, b, 4_000);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MomentsMatchTheExactSolutionWithinFourStandardErrors(string family, double[] values, int n, Boundary boundary, int rows)
    {
        var model = new ChainModel(ChainFamilies.Find(family).Create(values), n, boundary);
        var s = ChainSampler.Sample(model, rows, seed: 21);
        Assert.All(s.Data, v => Assert.True(model.Family.InSupport(v), $"{v} outside the support"));
        SampleMoments.CheckAgainstExact(model, s);
    }

    [Theory]
    [InlineData(Boundary.Periodic)]
    [InlineData(Boundary.Open)]
    public void BernoulliConfigurationsPassChiSquare(Boundary boundary)
    {
        const int n = 6, rows = 100_000;
        var p = new BernoulliParameters(-0.8, 1.5);
        var oracle = new ChainEnumeration(p, n, boundary, [0, 1], [1, 1]);
        var s = ChainSampler.Sample(new ChainModel(p, n, boundary), rows, seed: 4);
        var counts = new double[1 << n];
        for (int r = 0; r < rows; r++)
        {
            int c = 0;
            for (int i = 0; i < n; i++) if (s[r, i] == 1) c |= 1 << i;
            counts[c]++;
        }
        double chi2 = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            double expected = rows * oracle.Expect(idx => Enumerable.Range(0, n).All(i => idx[i] == ((c >> i) & 1)) ? 1 : 0);
            chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
        }
        Assert.True(chi2 < ChiSquared.InvCDF(counts.Length - 1, 0.9999), $"chi2 = {chi2}");
    }

    [Fact]
    public void PoissonPairsPassChiSquare()
    {
        const int rows = 100_000;
        var p = new PoissonParameters(2.5, -0.4);
        var values = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        var oracle = new ChainEnumeration(p, 2, Boundary.Open, values, Enumerable.Repeat(1.0, 40).ToArray());
        var s = ChainSampler.Sample(new ChainModel(p, 2, Boundary.Open), rows, seed: 6);
        // Cells (x1, x2) with x < 8; everything else pooled; every cell expects far more than 5.
        double chi2 = 0;
        int cells = 0;
        double pooledExpected = rows, pooledCount = rows;
        for (int a = 0; a < 8; a++)
            for (int b = 0; b < 8; b++)
            {
                double expected = rows * oracle.Expect(idx => idx[0] == a && idx[1] == b ? 1 : 0);
                if (expected < 20) continue;
                double count = Enumerable.Range(0, rows).Count(r => s[r, 0] == a && s[r, 1] == b);
                chi2 += (count - expected) * (count - expected) / expected;
                pooledExpected -= expected;
                pooledCount -= count;
                cells++;
            }
        chi2 += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
        Assert.True(chi2 < ChiSquared.InvCDF(cells, 0.9999), $"chi2 = {chi2} over {cells + 1} cells");
    }

    [Fact]
    public void ContinuousDrawsAreOffTheLatticeAndUnbiasedOnACoarseGrid()
    {
        // A 13-point grid (spacing ≈ 0.75) reaches accuracy ~6e-3. Jittering lattice draws uniformly within a cell
        // would raise <x²> by Δ²/12 ≈ 0.047; the random-offset grids keep the moments to the grid's accuracy.
        var p = new Phi4Parameters(-1, 0.5, 0.4, 0.0);
        var model = new ChainModel(p, 4, Boundary.Open);
        var coarse = new GridOptions { Points = 13, Accuracy = 1e-2 };
        var report = GridChainSampler.GridFor(model, coarse);
        double spacing = (report.Upper - report.Lower) / (report.Points - 1);
        var s = ChainSampler.Sample(model, 100_000, seed: 8, grid: coarse);
        var exact = ExactSolver.Solve(model, new GridOptions { Accuracy = 1e-12 }).Finite;
        double second = s.Data.Average(v => v * v);
        var rowSecond = Enumerable.Range(0, s.Rows).Select(r => (s[r, 0] * s[r, 0] + s[r, 1] * s[r, 1] + s[r, 2] * s[r, 2] + s[r, 3] * s[r, 3]) / 4).ToArray();
        double se = Math.Sqrt(rowSecond.Select(v => (v - second) * (v - second)).Average() / s.Rows);
        Assert.True(Math.Abs(second - exact.SecondMoment) < Tolerances.StandardErrors * se + report.Accuracy,
            $"<x^2> {second} vs {exact.SecondMoment}, se {se}, grid accuracy {report.Accuracy}");
        Assert.True(spacing * spacing / 12 > 2 * (Tolerances.StandardErrors * se + report.Accuracy), "the test can see a jitter bias");
        // The positions within a cell are uniform: a lattice would put them all at 0.
        var fraction = s.Data.Select(v => ((v - report.Lower) / spacing) % 1.0).Select(f => f < 0 ? f + 1 : f).OrderBy(f => f).ToArray();
        double ks = fraction.Select((f, i) => Math.Max(Math.Abs(f - (double)i / fraction.Length), Math.Abs(f - (i + 1.0) / fraction.Length))).Max();
        Assert.True(ks < 1.95 / Math.Sqrt(fraction.Length), $"KS distance {ks}");
    }

    [Fact]
    public void SameSeedSameNumbersWhateverTheThreadsOrChunks()
    {
        foreach (var p in new ChainParameters[] { new Phi4Parameters(-1, 0.5, 0.4, 0), new PoissonParameters(3, -0.2), new GammaParameters(2, 1, -0.2) })
        {
            var model = new ChainModel(p, 9, Boundary.Periodic);
            var one = ChainSampler.Sample(model, 200, 42, threads: 1);
            var two = ChainSampler.Sample(model, 200, 42, threads: 2);
            Assert.Equal(one.Data, two.Data);
            var chunk = new SampleMatrix<double>(200 - 64, 9);
            ChainSampler.SampleInto(model, 42, 64, chunk, threads: 2);
            Assert.Equal(one.Data.AsSpan(64 * 9).ToArray(), chunk.Data);
        }
    }
}
