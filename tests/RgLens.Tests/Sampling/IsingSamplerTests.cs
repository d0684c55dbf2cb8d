using MathNet.Numerics.Distributions;
using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Sampling;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Sampling;

public class IsingSamplerTests
{
    public static TheoryData<double, double, int, Boundary> Models()
    {
        var data = new TheoryData<double, double, int, Boundary>();
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
            foreach (var (k, h) in new[] { (0.7, 0.0), (0.5, 0.3), (-0.6, 0.2), (1.5, -0.1) })
                foreach (int n in new[] { 20, 130 })
                    data.Add(k, h, n, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MomentsMatchTheExactSolutionWithinFourStandardErrors(double k, double h, int n, Boundary boundary)
    {
        var model = new ChainModel(new IsingParameters(k, h), n, boundary);
        const int rows = 20_000;
        var s = IsingSampler.Sample(model, rows, seed: 11);
        var exact = ExactSolver.Solve(model).Finite;
        int bonds = model.BondCount;
        CheckMean(s, row => Mean(row), exact.Mean, "magnetization");
        CheckMean(s, row =>
        {
            double e = 0;
            for (int i = 0; i < bonds; i++) e += row[i] * row[(i + 1) % n];
            return e / bonds;
        }, exact.NearestNeighbour, "energy (mean bond)");
        int site = boundary == Boundary.Open ? 2 : 1; // an open chain's correlations depend on the site
        for (int r = 1; r <= 5; r++)
        {
            int j = site + r;
            CheckMean(s, row => row[site - 1] * row[j - 1], ExactSolver.Correlation(model, site, j), $"<s_{site} s_{j}>");
        }
        CheckMean(s, row => row[n - 1], ExactSolver.SiteMean(model, n), "last site");
    }

    [Theory]
    [InlineData(0.8, 0.25, Boundary.Periodic)]
    [InlineData(0.8, 0.25, Boundary.Open)]
    [InlineData(-0.5, 0.0, Boundary.Periodic)]
    [InlineData(0.3, -0.7, Boundary.Open)]
    public void ConfigurationFrequenciesPassChiSquare(double k, double h, Boundary boundary)
    {
        const int n = 6, rows = 200_000;
        var oracle = new IsingEnumeration(k, h, n, boundary);
        var s = IsingSampler.Sample(new ChainModel(new IsingParameters(k, h), n, boundary), rows, seed: 5);
        var counts = new double[1 << n];
        for (int r = 0; r < rows; r++)
        {
            int c = 0;
            var row = s.Row(r);
            for (int i = 0; i < n; i++) if (row[i] < 0) c |= 1 << i;
            counts[c]++;
        }
        double chi2 = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            double expected = rows * oracle.Probabilities[c];
            chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
        }
        // Every cell expects well over 5 counts here, so χ² with 63 degrees of freedom applies.
        Assert.True(chi2 < ChiSquared.InvCDF(counts.Length - 1, 0.9999), $"chi2 = {chi2}");
    }

    [Fact]
    public void FastPathEqualsTheScalarReferenceByteForByte()
    {
        var rng = RandomStream.For(2, "plan-test");
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
            foreach (var (k, h) in new[] { (0.7, 0.0), (0.7, 0.2), (-1.1, 0.0), (25.0, 0.0), (0.0, 0.0), (3.0, -2.0) })
                foreach (int n in new[] { 2, 3, 63, 64, 65, 127, 1024, 1100 })
                {
                    var model = new ChainModel(new IsingParameters(k, h), n, b);
                    var plan = IsingSamplingPlan.Build(model, (IsingParameters)model.Parameters);
                    var u = new ulong[(n + 63) / 64 * 64];
                    var fast = new sbyte[n];
                    var slow = new sbyte[n];
                    for (int trial = 0; trial < 20; trial++)
                    {
                        for (int i = 0; i < u.Length; i++) u[i] = rng.NextUInt64();
                        IsingSampler.SampleRow(plan, u, fast);
                        IsingSampler.SampleRowScalar(plan, u, slow);
                        Assert.Equal(slow, fast);
                    }
                }
    }

    [Fact]
    public void PlanUsesTheBitParallelPathWhereFlipsDoNotDependOnTheSpin()
    {
        var open = new ChainModel(new IsingParameters(0.7, 0), 1024, Boundary.Open);
        var plan = IsingSamplingPlan.Build(open, (IsingParameters)open.Parameters);
        Assert.All(Enumerable.Range(0, plan.Blocks), b => Assert.True(plan.IsUniform(0, b)));
        // P(flip) = (1 − tanh K)/2, to double precision (a few ulps of the 64-bit threshold).
        double expected = IsingSamplingPlan.Threshold((1 - Math.Tanh(0.7)) / 2);
        Assert.True(Math.Abs(plan.UniformThreshold(0, 3) - expected) <= 4e-16 * expected);

        var ring = new ChainModel(new IsingParameters(0.7, 0), 1024, Boundary.Periodic);
        var rp = IsingSamplingPlan.Build(ring, (IsingParameters)ring.Parameters);
        Assert.True(rp.IsUniform(0, 0) && rp.IsUniform(1, 5));
        Assert.False(rp.IsUniform(0, rp.Blocks - 1)); // conditioning on s_1 shows near the ring's end

        var field = new ChainModel(new IsingParameters(0.7, 0.2), 256, Boundary.Open);
        var fp = IsingSamplingPlan.Build(field, (IsingParameters)field.Parameters);
        Assert.All(Enumerable.Range(0, fp.Blocks), b => Assert.False(fp.IsUniform(0, b)));
    }

    [Fact]
    public void SameSeedSameBytesWhateverTheThreadsOrChunks()
    {
        var model = new ChainModel(new IsingParameters(0.6, 0.1), 100, Boundary.Periodic);
        var one = IsingSampler.Sample(model, 1000, 42, threads: 1);
        var two = IsingSampler.Sample(model, 1000, 42, threads: 2);
        Assert.Equal(one.Data, two.Data);
        var chunked = new List<sbyte>();
        for (int first = 0; first < 1000; first += 256)
        {
            var block = new SampleMatrix<sbyte>(Math.Min(256, 1000 - first), 100);
            IsingSampler.SampleInto(model, 42, first, block, threads: 2);
            chunked.AddRange(block.Data);
        }
        Assert.Equal(one.Data, chunked.ToArray());
        var other = IsingSampler.Sample(model, 1000, 43, threads: 1);
        Assert.NotEqual(one.Data, other.Data);
    }

    [Fact]
    public void BadRequestsAreRejected()
    {
        var model = new ChainModel(new IsingParameters(0.6, 0.1), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => IsingSampler.Sample(model, 0, 1));
        Assert.Throws<ModelDomainException>(() => IsingSampler.Sample(model with { Length = 1 }, 5, 1));
        Assert.Throws<ModelDomainException>(() => IsingSampler.Sample(new ChainModel(new IsingParameters(double.NaN, 0), 10), 5, 1));
        Assert.Throws<ArgumentException>(() => IsingSampler.SampleInto(model, 1, 3, new SampleMatrix<sbyte>(4, 10)));
    }

    private static double Mean(ReadOnlySpan<sbyte> row)
    {
        double s = 0;
        foreach (sbyte v in row) s += v;
        return s / row.Length;
    }

    private delegate double RowStatistic(ReadOnlySpan<sbyte> row);

    /// <summary>Rows are independent, so the standard error of a row statistic's mean is sd/√rows.</summary>
    private static void CheckMean(SampleMatrix<sbyte> s, RowStatistic statistic, double exact, string what)
    {
        double sum = 0, sumSq = 0;
        for (int r = 0; r < s.Rows; r++)
        {
            double v = statistic(s.Row(r));
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / s.Rows;
        double se = Math.Sqrt(Math.Max(sumSq / s.Rows - mean * mean, 0) / (s.Rows - 1));
        Assert.True(Math.Abs(mean - exact) <= Tolerances.StandardErrors * se + 1e-12,
            $"{what}: sample {mean:G6} vs exact {exact:G6}, se {se:G3}");
    }
}
