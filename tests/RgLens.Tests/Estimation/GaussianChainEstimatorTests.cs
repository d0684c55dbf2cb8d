using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Sampling;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Estimation;

public class GaussianChainEstimatorTests
{
    [Theory]
    [InlineData(2.0, 0.7, 0.3, 9, Boundary.Periodic)]
    [InlineData(1.0, -0.4, 0.2, 8, Boundary.Open)]
    [InlineData(1.5, 0.5, 0.0, 2, Boundary.Periodic)]
    public void LikelihoodUsesExactExpectationsAndInvertsThem(double a, double k, double h, int n, Boundary boundary)
    {
        var p = new GaussianParameters(a, k, h);
        var dense = new GaussianDense(p, n, boundary);
        int bonds = boundary == Boundary.Periodic ? n : n - 1;
        double s1 = Enumerable.Range(1, n).Sum(i => dense.Mean[i - 1]);
        double s2 = Enumerable.Range(1, n).Sum(i => dense.Moment(i, i));
        double b = Enumerable.Range(1, bonds).Sum(i => dense.Moment(i, i % n + 1));
        var (e1, e2, eb) = GaussianChainLikelihood.Expectations(p, n, boundary);
        Assert.Equal(s1, e1, 1e-10);
        Assert.Equal(s2, e2, 1e-10);
        Assert.Equal(b, eb, 1e-10);
        // With the exact expectations as "data", the MLE returns the generating parameters.
        var fit = GaussianChainLikelihood.Fit([s1, s2, b], n, boundary, null);
        Assert.Equal(a, fit[0], 1e-7);
        Assert.Equal(k, fit[1], 1e-7);
        Assert.Equal(h, fit[2], 1e-7);
    }

    [Theory]
    [InlineData(2.0, 0.7, 0.3, Boundary.Periodic, EstimationMethod.MaximumLikelihood)]
    [InlineData(2.0, 0.7, 0.3, Boundary.Periodic, EstimationMethod.PseudoLikelihood)]
    [InlineData(1.0, -0.45, -0.2, Boundary.Open, EstimationMethod.MaximumLikelihood)]
    [InlineData(1.0, -0.45, -0.2, Boundary.Open, EstimationMethod.PseudoLikelihood)]
    [InlineData(0.5, 0.2, 0.0, Boundary.Open, EstimationMethod.MaximumLikelihood)]
    public void RecoversKnownParametersWithinFourStandardErrors(double a, double k, double h, Boundary boundary, EstimationMethod method)
    {
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(a, k, h), 24, boundary), 3000, seed: 3);
        var fit = ChainEstimator.Fit(GaussianFamily.Instance, data, boundary, method, new FitOptions { Replicates = 200, Seed = 9 });
        foreach (var (name, truth) in new[] { ("a", a), ("K", k), ("h", h) })
        {
            var e = fit[name];
            Assert.True(Math.Abs(e.Estimate - truth) < Tolerances.StandardErrors * e.StandardError,
                $"{name}: {e.Estimate:G5} vs truth {truth}, se {e.StandardError:G3}");
            Assert.True(e.Lower < e.Estimate && e.Estimate < e.Upper);
        }
        Assert.Equal(GaussianFamily.Instance, fit.Family);
        Assert.DoesNotContain(fit.Warnings, w => w.Contains("does not exist"));
    }

    [Fact]
    public void PseudoLikelihoodIsTheNeighbourRegression()
    {
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(2, 0.6, 0.4), 10, Boundary.Open), 500, seed: 5);
        var fit = GaussianChainEstimator.Fit(data, Boundary.Open, EstimationMethod.PseudoLikelihood, new FitOptions { Replicates = 0 });
        // Ordinary least squares of x_i on (1, m_i) over all sites, done the plain way.
        var x = new List<double>();
        var m = new List<double>();
        for (int r = 0; r < data.Rows; r++)
            for (int i = 0; i < 10; i++)
            {
                x.Add(data[r, i]);
                m.Add((i > 0 ? data[r, i - 1] : 0) + (i < 9 ? data[r, i + 1] : 0));
            }
        double mx = x.Average(), mm = m.Average();
        double slope = x.Zip(m, (xi, mi) => (xi - mx) * (mi - mm)).Sum() / m.Sum(mi => (mi - mm) * (mi - mm));
        double intercept = mx - slope * mm;
        double rss = x.Zip(m, (xi, mi) => Math.Pow(xi - intercept - slope * mi, 2)).Average();
        Assert.Equal(1 / rss, fit["a"].Estimate, 1e-9);
        Assert.Equal(slope / rss, fit["K"].Estimate, 1e-9);
        Assert.Equal(intercept / rss, fit["h"].Estimate, 1e-9);
    }

    [Theory]
    [InlineData(EstimationMethod.MaximumLikelihood)]
    [InlineData(EstimationMethod.PseudoLikelihood)]
    public void FixedFieldFitsTheRest(EstimationMethod method)
    {
        var data = ChainSampler.Sample(new ChainModel(new GaussianParameters(2, 0.7, 0), 16), 2000, seed: 6);
        var fit = GaussianChainEstimator.Fit(data, Boundary.Periodic, method, new FitOptions { Replicates = 50, FixedField = 0 });
        Assert.Equal(0.0, fit["h"].Estimate);
        Assert.True(Math.Abs(fit["K"].Estimate - 0.7) < Tolerances.StandardErrors * fit["K"].StandardError);
        Assert.Contains(fit.Warnings, w => w.Contains("h held fixed"));
    }

    [Theory]
    [InlineData(EstimationMethod.MaximumLikelihood)]
    [InlineData(EstimationMethod.PseudoLikelihood)]
    public void ConfidenceIntervalsCoverAtTheirNominalRate(EstimationMethod method)
    {
        // 300 independent data sets; the count of 95% intervals covering the truth is binomial(300, 0.95),
        // whose ±3.5 standard-error band is 90.6%–99%.
        const int datasets = 300;
        var truth = new GaussianParameters(2, 0.6, 0.3);
        var model = new ChainModel(truth, 12, Boundary.Periodic);
        var covered = new int[3];
        var sample = new SampleMatrix<double>(192, 12);
        for (int d = 0; d < datasets; d++)
        {
            ChainSampler.SampleInto(model, 1000 + (ulong)d, 0, sample, threads: 1);
            var fit = GaussianChainEstimator.Fit(sample, Boundary.Periodic, method, new FitOptions { Replicates = 200, Seed = (ulong)d, Threads = 2 });
            if (fit["a"].Covers(truth.Precision)) covered[0]++;
            if (fit["K"].Covers(truth.Coupling)) covered[1]++;
            if (fit["h"].Covers(truth.Field)) covered[2]++;
        }
        foreach (int c in covered) Assert.InRange(c / (double)datasets, 0.906, 0.99);
    }

    [Fact]
    public void ConstantSamplesHaveNoEstimateAndSayWhy()
    {
        var constant = new SampleMatrix<double>(Enumerable.Repeat(1.5, 40 * 8).ToArray(), 40, 8);
        foreach (var method in new[] { EstimationMethod.MaximumLikelihood, EstimationMethod.PseudoLikelihood })
        {
            var fit = GaussianChainEstimator.Fit(constant, Boundary.Periodic, method, new FitOptions { Replicates = 10 });
            Assert.True(double.IsNaN(fit["a"].Estimate));
            Assert.Contains(fit.Warnings, w => w.Contains("does not exist"));
        }
        Assert.Throws<DataFormatException>(() => GaussianChainEstimator.Fit(new SampleMatrix<double>([1, double.NaN], 1, 2), Boundary.Open, EstimationMethod.MaximumLikelihood));
    }
}
