using RgLens.Data;
using RgLens.Estimation;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Sampling;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Estimation;

public class IsingEstimatorTests
{
    [Theory]
    [InlineData(0.7, 0.2, 9, Boundary.Periodic)]
    [InlineData(-0.5, 0.4, 8, Boundary.Open)]
    [InlineData(1.2, 0.0, 10, Boundary.Open)]
    public void LikelihoodGradientUsesExactExpectations(double k, double h, int n, Boundary boundary)
    {
        var oracle = new IsingEnumeration(k, h, n, boundary);
        int bonds = boundary == Boundary.Periodic ? n : n - 1;
        double eb = oracle.Expect(c => Enumerable.Range(0, bonds).Sum(i => IsingEnumeration.Spin(c, i) * IsingEnumeration.Spin(c, (i + 1) % n)));
        double em = oracle.Expect(c => Enumerable.Range(0, n).Sum(i => IsingEnumeration.Spin(c, i)));
        var (b, m) = IsingMaximumLikelihood.Expectations(k, h, n, boundary);
        Assert.Equal(eb, b, Tolerances.Exact * n);
        Assert.Equal(em, m, Tolerances.Exact * n);
        // With the exact expectations as "data", the MLE returns the generating parameters.
        var fit = IsingMaximumLikelihood.Fit(eb, em, n, boundary, null);
        Assert.True(fit.Converged);
        Assert.Equal(k, fit.Argmax[0], 1e-8);
        Assert.Equal(h, fit.Argmax[1], 1e-8);
    }

    [Theory]
    [InlineData(0.7, 0.2, Boundary.Periodic, EstimationMethod.MaximumLikelihood)]
    [InlineData(0.7, 0.2, Boundary.Periodic, EstimationMethod.PseudoLikelihood)]
    [InlineData(-0.4, -0.3, Boundary.Open, EstimationMethod.MaximumLikelihood)]
    [InlineData(-0.4, -0.3, Boundary.Open, EstimationMethod.PseudoLikelihood)]
    [InlineData(1.3, 0.0, Boundary.Periodic, EstimationMethod.MaximumLikelihood)]
    public void RecoversKnownParametersWithinFourStandardErrors(double k, double h, Boundary boundary, EstimationMethod method)
    {
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(k, h), 32, boundary), 4000, seed: 3);
        var fit = IsingEstimator.Fit(data, boundary, method, new FitOptions { Replicates = 200, Seed = 9 });
        foreach (var (name, truth) in new[] { ("K", k), ("h", h) })
        {
            var e = fit[name];
            Assert.True(Math.Abs(e.Estimate - truth) < Tolerances.StandardErrors * e.StandardError,
                $"{name}: {e.Estimate:G5} vs truth {truth}, se {e.StandardError:G3}");
            Assert.True(e.Lower < e.Estimate && e.Estimate < e.Upper);
        }
        Assert.Equal(4000, fit.Samples);
        Assert.Equal(32, fit.Sites);
    }

    [Fact]
    public void OpenZeroFieldMleIsTheClosedForm()
    {
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(0.9, 0), 20, Boundary.Open), 3000, seed: 4);
        var fit = IsingEstimator.Fit(data, Boundary.Open, EstimationMethod.MaximumLikelihood, new FitOptions { Replicates = 0, FixedField = 0 });
        double meanBond = 0;
        for (int r = 0; r < data.Rows; r++)
            for (int i = 0; i < 19; i++) meanBond += data[r, i] * data[r, i + 1];
        meanBond /= data.Rows * 19.0;
        Assert.Equal(Math.Atanh(meanBond), fit["K"].Estimate, 1e-9);
        Assert.Equal(0.0, fit["h"].Estimate);
        Assert.Contains(fit.Warnings, w => w.Contains("h held fixed"));
    }

    [Fact]
    public void MaximumLikelihoodAndPseudoLikelihoodAgreeOnLargeSamples()
    {
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(0.6, 0.15), 64), 20_000, seed: 8);
        var mle = IsingEstimator.Fit(data, Boundary.Periodic, EstimationMethod.MaximumLikelihood, new FitOptions { Replicates = 100 });
        var pl = IsingEstimator.Fit(data, Boundary.Periodic, EstimationMethod.PseudoLikelihood, new FitOptions { Replicates = 100 });
        foreach (string p in new[] { "K", "h" })
            Assert.True(Math.Abs(mle[p].Estimate - pl[p].Estimate) < 2 * Math.Max(mle[p].StandardError, pl[p].StandardError));
    }

    [Theory]
    [InlineData(EstimationMethod.MaximumLikelihood)]
    [InlineData(EstimationMethod.PseudoLikelihood)]
    public void ConfidenceIntervalsCoverAtTheirNominalRate(EstimationMethod method)
    {
        // 400 independent data sets; each 95% interval covers the truth with probability 0.95, so the
        // count is binomial(400, 0.95): the acceptance band 91%–99% is ±3.7 standard errors.
        const int datasets = 400;
        var model = new ChainModel(new IsingParameters(0.5, 0.2), 16, Boundary.Periodic);
        int coveredK = 0, coveredH = 0;
        var sample = new SampleMatrix<sbyte>(256, 16);
        for (int d = 0; d < datasets; d++)
        {
            IsingSampler.SampleInto(model, 1000 + (ulong)d, 0, sample, threads: 1);
            var fit = IsingEstimator.Fit(sample, Boundary.Periodic, method, new FitOptions { Replicates = 200, Seed = (ulong)d, Threads = 2 });
            if (fit["K"].Covers(0.5)) coveredK++;
            if (fit["h"].Covers(0.2)) coveredH++;
        }
        foreach (int covered in new[] { coveredK, coveredH })
            Assert.InRange(covered / (double)datasets, 0.91, 0.99);
    }

    [Fact]
    public void FullyAlignedDataHaveNoFiniteEstimateAndSayWhy()
    {
        var aligned = new SampleMatrix<sbyte>(Enumerable.Repeat((sbyte)1, 50 * 8).ToArray(), 50, 8);
        foreach (var method in new[] { EstimationMethod.MaximumLikelihood, EstimationMethod.PseudoLikelihood })
        {
            var fit = IsingEstimator.Fit(aligned, Boundary.Periodic, method, new FitOptions { Replicates = 20 });
            Assert.Equal(double.PositiveInfinity, fit["K"].Estimate);
            Assert.Contains(fit.Warnings, w => w.Contains("does not exist"));
        }
        // All samples aligned but with both signs: K = ∞ and h is the field of the two-state mixture.
        var mixed = new SampleMatrix<sbyte>(new sbyte[30 * 8], 30, 8);
        for (int r = 0; r < 30; r++) mixed.Row(r).Fill(r < 20 ? (sbyte)1 : (sbyte)-1);
        var mle = IsingEstimator.Fit(mixed, Boundary.Periodic, EstimationMethod.MaximumLikelihood, new FitOptions { Replicates = 0 });
        Assert.Equal(double.PositiveInfinity, mle["K"].Estimate);
        Assert.Equal(Math.Atanh(1.0 / 3) / 8, mle["h"].Estimate, 1e-12);
        // Perfect Néel samples: K = −∞ and h not identifiable.
        var neel = new SampleMatrix<sbyte>(new sbyte[10 * 8], 10, 8);
        for (int r = 0; r < 10; r++)
            for (int i = 0; i < 8; i++) neel[r, i] = (sbyte)((i + r) % 2 == 0 ? 1 : -1);
        var af = IsingEstimator.Fit(neel, Boundary.Periodic, EstimationMethod.MaximumLikelihood, new FitOptions { Replicates = 0 });
        Assert.Equal(double.NegativeInfinity, af["K"].Estimate);
        Assert.True(double.IsNaN(af["h"].Estimate));
        Assert.Contains(af.Warnings, w => w.Contains("not identifiable"));
    }

    [Fact]
    public void BootstrapIsReproducibleAndThreadIndependent()
    {
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(0.6, 0.1), 16), 500, seed: 2);
        var a = IsingEstimator.Fit(data, Boundary.Periodic, EstimationMethod.PseudoLikelihood, new FitOptions { Replicates = 50, Seed = 5, Threads = 1 });
        var b = IsingEstimator.Fit(data, Boundary.Periodic, EstimationMethod.PseudoLikelihood, new FitOptions { Replicates = 50, Seed = 5, Threads = 2 });
        Assert.Equal(a.Estimates, b.Estimates);
    }

    [Fact]
    public void PercentileIntervalAndQuantilesOnKnownValues()
    {
        double[] v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        Assert.Equal(3.0, Bootstrap.Quantile(v, 0.2));
        Assert.Equal(1.25, Bootstrap.Quantile([1, 2], 0.25));
        var (lo, hi) = Bootstrap.PercentileInterval(v, 0.8);
        Assert.Equal(2.0, lo, 1e-12);
        Assert.Equal(10.0, hi, 1e-12);
        Assert.Equal(double.NegativeInfinity, Bootstrap.Quantile([double.NegativeInfinity, 0, 1], 0.1));
        Assert.Equal(Math.Sqrt(11), Bootstrap.StandardDeviation(v), 1e-12);
    }

    [Fact]
    public void BadDataAndOptionsAreRejected()
    {
        var bad = new SampleMatrix<sbyte>([1, -1, 0, 1], 2, 2);
        Assert.Throws<DataFormatException>(() => IsingEstimator.Fit(bad, Boundary.Periodic, EstimationMethod.MaximumLikelihood));
        Assert.Throws<DataFormatException>(() => IsingEstimator.Fit(new SampleMatrix<sbyte>(3, 1), Boundary.Periodic, EstimationMethod.MaximumLikelihood));
        var ok = new SampleMatrix<sbyte>([1, -1, 1, 1], 2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => IsingEstimator.Fit(ok, Boundary.Periodic, EstimationMethod.PseudoLikelihood, new FitOptions { ConfidenceLevel = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IsingEstimator.Fit(ok, Boundary.Periodic, EstimationMethod.PseudoLikelihood, new FitOptions { Replicates = -1 }));
    }
}
