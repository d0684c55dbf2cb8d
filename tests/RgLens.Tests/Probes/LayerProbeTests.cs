using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Sampling;

namespace RgLens.Tests.Probes;

/// <summary>The readings on layers whose answer is known (identity gauge: the units are already in chain order).</summary>
public class LayerProbeTests
{
    private static ReadingMeasurement Read(IReading reading, SampleMatrix<float> pre, Boundary boundary = Boundary.Periodic, int replicates = 200, bool orderFree = true) =>
        reading.Read(new ReadingInput(pre, pre, UnitGauge.Identity(pre.Columns), boundary, replicates, 3, orderFree));

    /// <summary>A "layer" whose pre-activations are every b-th site of the input: an exact decimation.</summary>
    private static SampleMatrix<float> DecimatingLayer(SampleMatrix<sbyte> x, int b)
    {
        int m = x.Columns / b;
        var a = new SampleMatrix<float>(x.Rows, m);
        for (int r = 0; r < x.Rows; r++)
            for (int j = 0; j < m; j++) a[r, j] = 0.8f * x[r, j * b]; // any positive scale: the sign reading ignores it
        return a;
    }

    [Theory]
    [InlineData(0.8, 0.2, 2)]
    [InlineData(0.8, 0.2, 4)]
    [InlineData(1.2, 0.0, 2)]
    public void AnExactDecimationReadsTheRgPointWithinItsInterval(double k0, double h0, int b)
    {
        var model = new ChainModel(new IsingParameters(k0, h0), 64, Boundary.Periodic);
        var x = IsingSampler.Sample(model, 6000, seed: 21);
        var m = Read(new SignReading(), DecimatingLayer(x, b), orderFree: false);
        var target = (IsingParameters)RgFlow.Decimate(model.Parameters, b);
        AssertWithinStandardErrors(m.Coupling, target.Coupling);          // the chain with per-unit fields
        AssertWithinStandardErrors(m.HomogeneousCoupling!, target.Coupling);
        AssertWithinStandardErrors(m.Field!, target.Field);
        Assert.True(m.HomogeneityP > 1e-4, $"a decimated chain has one field; LR p = {m.HomogeneityP}");
    }

    [Fact]
    public void SignAndIndexReadingsGiveTheSameMultiInformationBitsWithOrWithoutASharedMemo()
    {
        // Correlated units (a common factor plus noise), in a gauge with a scrambled order and mixed signs.
        const int units = 37;
        var rng = RandomStream.For(8, "shared-multi-information");
        var pre = new SampleMatrix<float>(3000, units);
        for (int r = 0; r < pre.Rows; r++)
        {
            double common = rng.NextGaussian();
            for (int j = 0; j < units; j++) pre[r, j] = (float)(0.2 * j % 1.3 * common + rng.NextGaussian() + 0.1);
        }
        var order = Enumerable.Range(0, units).OrderBy(j => (j * 17) % units).ToArray();
        var signs = Enumerable.Range(0, units).Select(j => j % 3 == 0 ? -1 : 1).ToArray();
        var gauge = new UnitGauge(order, signs, Enumerable.Repeat(double.NaN, units).ToArray());
        ReadingMeasurement ReadWith(IReading reading, LayerMemo? memo) =>
            reading.Read(new ReadingInput(pre, pre, gauge, Boundary.Open, 0, 3, false, 1, default, memo));
        var memo = new LayerMemo();
        double signShared = ReadWith(new SignReading(), memo).MultiInformation, indexShared = ReadWith(new IndexOrderReading(), memo).MultiInformation;
        double signAlone = ReadWith(new SignReading(), null).MultiInformation, indexAlone = ReadWith(new IndexOrderReading(), null).MultiInformation;
        Assert.Equal(signAlone, indexAlone); // the same spins in two column orders, the same bits
        Assert.Equal(signAlone, signShared);
        Assert.Equal(signAlone, indexShared);
        // The value itself is the multi-information of the spins in either order (to rounding).
        var spins = BinaryReadings.Sign(pre, gauge);
        Assert.Equal(MultiInformation.Gaussian(spins), signAlone, 1e-12);
        Assert.True(signAlone > 0.01, $"the common factor correlates the units: I = {signAlone}");
    }

    [Fact]
    public void TheContinuousReadingGivesTheSameBitsWithThreadsLentToItOrNot()
    {
        // 70 units (three steps of ranking, wider than the one-step bootstrap's limit), 5000 samples
        // (three chunks of the Gram matrix), some ties and a constant unit; read on one thread, on
        // four, and on one with three more lent by threads that have finished (SpareThreads).
        const int units = 70;
        var rng = RandomStream.For(9, "lent-threads");
        var pre = new SampleMatrix<float>(5000, units);
        for (int r = 0; r < pre.Rows; r++)
        {
            double common = rng.NextGaussian();
            for (int j = 0; j < units; j++)
                pre[r, j] = j == 5 ? 0.5f : j % 7 == 0 ? MathF.Round((float)(common + rng.NextGaussian())) : (float)Math.Tanh(0.5 * common + rng.NextGaussian());
        }
        var gauge = new UnitGauge(Enumerable.Range(0, units).Reverse().ToArray(), Enumerable.Range(0, units).Select(j => j % 2 == 0 ? 1 : -1).ToArray(),
            Enumerable.Repeat(double.NaN, units).ToArray());
        var spare = new SpareThreads(4);
        for (int i = 0; i < 3; i++) spare.Release();
        Assert.Equal(4, spare.Now(1));
        ReadingMeasurement ReadWith(int threads, SpareThreads? lent) =>
            new ContinuousReading().Read(new ReadingInput(pre, pre, gauge, Boundary.Periodic, 40, 3, false, threads, default, null, lent));
        var alone = ReadWith(1, null);
        foreach (var other in new[] { ReadWith(4, null), ReadWith(1, spare) })
        {
            Assert.Equal(alone.Coupling, other.Coupling);
            Assert.Equal(alone.MultiInformation, other.MultiInformation);
            Assert.Equal(alone.UnitMeans, other.UnitMeans);
            Assert.Equal(alone.Warnings, other.Warnings);
        }
        Assert.Contains(alone.Warnings, w => w.Contains("constant"));
    }

    [Fact]
    public void IndependentRandomOutputsReadZeroCoupling()
    {
        var rng = RandomStream.For(4, "independent-layer");
        var a = new SampleMatrix<float>(5000, 16);
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] = (float)rng.NextGaussian() + 0.3f;
        foreach (IReading reading in new IReading[] { new SignReading(), new StochasticReading() })
        {
            var m = Read(reading, a);
            AssertWithinStandardErrors(m.Coupling, 0);
            // −½ ln det R has mean ≈ M(M−1)/(4n) = 0.012 and a similar spread for independent units.
            Assert.InRange(m.MultiInformation, 0, 0.04);
            Assert.True(m.HomogeneityP > 1e-4, $"{reading.Id}: one field fits independent identical units; LR p = {m.HomogeneityP}");
        }
        // All-pairs couplings of independent units: each J_ij ~ N(0, 1/n) roughly, so the largest of
        // 120 pairs stays below ~4.5/√n ≈ 0.064.
        var sign = Read(new SignReading(), a);
        Assert.True(sign.MaxAbsCoupling < 4.5 / Math.Sqrt(5000), $"max |J| = {sign.MaxAbsCoupling}");
        AssertWithinStandardErrors(Read(new ContinuousReading(), a).Coupling, 0);
        // Four units: 16 patterns, 5000 samples. The Miller–Madow bias left is O(2^M/n²), the spread ~ 2^M/(2n) ≈ 0.002.
        var small = new SampleMatrix<float>(5000, 4);
        Array.Copy(a.Data, small.Data, small.Data.Length);
        Assert.InRange(MultiInformation.PlugIn(BinaryReadings.Sign(small)), -0.01, 0.01);
    }

    /// <summary>A single 95% interval misses 5% of the time by design; tests use 4 bootstrap standard errors.</summary>
    private static void AssertWithinStandardErrors(ParameterEstimate e, double truth) =>
        Assert.True(Math.Abs(e.Estimate - truth) < Tolerances.StandardErrors * e.StandardError, $"{e} vs {truth}");

    [Fact]
    public void StochasticReadingFollowsTheKernel()
    {
        var a = new SampleMatrix<float>(20_000, 3);
        for (int r = 0; r < a.Rows; r++) { a[r, 0] = -1.5f; a[r, 1] = 0f; a[r, 2] = 0.7f; }
        var y = BinaryReadings.Stochastic(a, 7);
        for (int c = 0; c < 3; c++)
        {
            double mean = Enumerable.Range(0, y.Rows).Average(r => (double)y[r, c]);
            double expected = Math.Tanh(a[0, c]);
            double se = Math.Sqrt((1 - expected * expected) / y.Rows);
            Assert.True(Math.Abs(mean - expected) < Tolerances.StandardErrors * se, $"unit {c}: {mean} vs {expected}");
        }
        Assert.Equal(y.Data, BinaryReadings.Stochastic(a, 7).Data);
        Assert.Equal(new sbyte[] { -1, 1, 1 }, BinaryReadings.Sign(a).Row(0).ToArray());
    }

    [Fact]
    public void AllPairsFitRecoversAChainsCouplings()
    {
        const double k = 0.5;
        var x = IsingSampler.Sample(new ChainModel(new IsingParameters(k, 0.1), 8, Boundary.Periodic), 20_000, seed: 6);
        var fit = PairwisePseudoLikelihood.Fit(x);
        // Asymptotic SE of a pseudo-likelihood coupling here is ≈ 1/√(n · Var) ≈ 0.01; 4 SE = 0.04.
        const double tolerance = 0.04;
        for (int i = 0; i < 8; i++)
            for (int j = i + 1; j < 8; j++)
            {
                bool neighbours = j == i + 1 || (i == 0 && j == 7);
                Assert.True(Math.Abs(fit.Couplings[i, j] - (neighbours ? k : 0)) < tolerance, $"J[{i},{j}] = {fit.Couplings[i, j]}");
            }
        Assert.All(fit.Fields, h => Assert.True(Math.Abs(h - 0.1) < tolerance, $"h = {h}"));
        Assert.Equal(k, fit.MeanNeighbourCoupling, tolerance);
    }

    [Fact]
    public void AllPairsFitAgreesWithThePlainNewtonLoop()
    {
        // The fast fit (float32 Hessian, double gradient) stops where the exact gradient vanishes,
        // as the plain double MathNet loop does: the same fit to the stopping rule (steps below
        // 1e-10), on a chain and on a layer-like case with a unit that is a function of two others
        // (only the penalty keeps those couplings finite) and a unit that is nearly constant.
        var chain = IsingSampler.Sample(new ChainModel(new IsingParameters(0.6, -0.2), 10, Boundary.Open), 5_000, seed: 11);
        var layer = new SampleMatrix<sbyte>(4_000, 9);
        var rng = RandomStream.For(12, "all-pairs-layer");
        for (int r = 0; r < layer.Rows; r++)
        {
            for (int c = 0; c < 7; c++) layer[r, c] = rng.NextDouble() < 0.5 + 0.1 * c - 0.3 ? (sbyte)1 : (sbyte)-1;
            layer[r, 7] = (sbyte)(layer[r, 0] * layer[r, 1]);
            layer[r, 8] = r % 997 == 0 ? (sbyte)-1 : (sbyte)1;
        }
        foreach (var y in new[] { chain, layer })
        {
            var fast = PairwisePseudoLikelihood.Fit(y, threads: 2);
            var plain = PairwisePseudoLikelihood.FitReference(y);
            for (int i = 0; i < y.Columns; i++)
            {
                Assert.Equal(plain.Fields[i], fast.Fields[i], 1e-8);
                for (int j = 0; j < y.Columns; j++) Assert.Equal(plain.Couplings[i, j], fast.Couplings[i, j], 1e-8);
            }
            Assert.True(fast.MaxAbsCoupling > 0.1);
        }
    }

    [Fact]
    public void AllPairsFitGivesTheSameBitsOnAnyNumberOfThreads()
    {
        var y = IsingSampler.Sample(new ChainModel(new IsingParameters(0.4, 0.1), 20, Boundary.Periodic), 3_000, seed: 13);
        var one = PairwisePseudoLikelihood.Fit(y, threads: 1);
        var three = PairwisePseudoLikelihood.Fit(y, threads: 3);
        Assert.Equal(one.Fields, three.Fields);
        Assert.Equal(one.Couplings.Cast<double>(), three.Couplings.Cast<double>());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PairwisePseudoLikelihood.Fit(y, cancellation: cancelled.Token));
    }

    [Fact]
    public void GaussianMultiInformationMatchesTheClosedForm()
    {
        // Two units with correlation ρ: I = −½ ln(1 − ρ²); delta-method SE ≈ ρ/√n.
        const double rho = 0.6;
        const int n = 100_000;
        var rng = RandomStream.For(8, "gaussian-pair");
        var z = new SampleMatrix<double>(n, 2);
        for (int r = 0; r < n; r++)
        {
            double u = rng.NextGaussian(), v = rng.NextGaussian();
            z[r, 0] = u;
            z[r, 1] = rho * u + Math.Sqrt(1 - rho * rho) * v;
        }
        double expected = -0.5 * Math.Log(1 - rho * rho);
        Assert.True(Math.Abs(MultiInformation.Gaussian(z) - expected) < Tolerances.StandardErrors * rho / Math.Sqrt(n));
        var constant = new SampleMatrix<double>([1, 2, 1, 3, 1, 4], 3, 2);
        Assert.Equal(0.0, MultiInformation.Gaussian(constant));
    }

    [Fact]
    public void ReadingsRejectImpossibleLayers()
    {
        foreach (var reading in Readings.All)
            Assert.Throws<ArgumentException>(() => Read(reading, new SampleMatrix<float>(10, 1)));
        Assert.Contains("telepathy", Assert.Throws<ArgumentException>(() => Readings.Get("telepathy")).Message);
        Assert.Throws<ArgumentException>(() => MultiInformation.PlugIn(new SampleMatrix<sbyte>(10, 17)));
    }

    [Fact]
    public void TheCopulaReadingIgnoresTheMarginalAndRecoversTheCorrelation()
    {
        // A Gaussian chain of 6 units with neighbour correlation 0.5 (AR(1) on a line); the copula of
        // tanh(z) is that of z, so the reading is identical, and ρ of normal scores ≈ 0.5 − O(1/n).
        const double rho = 0.5;
        const int n = 20_000;
        var rng = RandomStream.For(12, "ar1");
        var z = new SampleMatrix<float>(n, 6);
        var t = new SampleMatrix<float>(n, 6);
        for (int r = 0; r < n; r++)
        {
            double v = rng.NextGaussian();
            for (int j = 0; j < 6; j++)
            {
                if (j > 0) v = rho * v + Math.Sqrt(1 - rho * rho) * rng.NextGaussian();
                z[r, j] = (float)v;
                t[r, j] = (float)Math.Tanh(v);
            }
        }
        var plain = Read(new ContinuousReading(), z, Boundary.Open, replicates: 50);
        var squashed = Read(new ContinuousReading(), t, Boundary.Open, replicates: 50);
        Assert.Equal(plain.Coupling.Estimate, squashed.Coupling.Estimate, 6); // float32 tanh merges a few values into ties
        AssertWithinStandardErrors(plain.Coupling, rho);
        // A saturated (constant) unit is left out with a warning, never an explosion.
        for (int r = 0; r < n; r++) t[r, 2] = 1f;
        var saturated = Read(new ContinuousReading(), t, Boundary.Open, replicates: 20);
        Assert.True(double.IsFinite(saturated.Coupling.Estimate) && Math.Abs(saturated.Coupling.Estimate) <= 1);
        Assert.Contains(saturated.Warnings, w => w.Contains("constant"));
    }

    [Theory]
    [InlineData(12, 3000)]  // full bootstrap over rows
    [InlineData(80, 9000)]  // linearized bootstrap over blocks (more than 64 units, more than 4096 rows)
    public void TheCopulaStandardErrorMatchesTheSpreadOverDataSets(int units, int n)
    {
        // Gaussian AR(1) lines of units with neighbour correlation 0.3, 30 independent data sets;
        // the mean bootstrap SE (one data set's SE scatters by itself) against the spread.
        const double rho = 0.3;
        var estimates = new double[30];
        var ses = new double[estimates.Length];
        for (int k = 0; k < estimates.Length; k++)
        {
            var rng = RandomStream.For(40, "ar1-spread", k);
            var z = new SampleMatrix<float>(n, units);
            for (int r = 0; r < n; r++)
            {
                double v = rng.NextGaussian();
                for (int j = 0; j < units; j++)
                {
                    if (j > 0) v = rho * v + Math.Sqrt(1 - rho * rho) * rng.NextGaussian();
                    z[r, j] = (float)v;
                }
            }
            var m = Read(new ContinuousReading(), z, Boundary.Open, replicates: 100);
            estimates[k] = m.Coupling.Estimate;
            ses[k] = m.Coupling.StandardError;
        }
        double mean = estimates.Average();
        double spread = Math.Sqrt(estimates.Sum(v => (v - mean) * (v - mean)) / (estimates.Length - 1));
        // The SD of 30 draws is uncertain by about ±13 %: allow a factor 1.4.
        Assert.InRange(ses.Average() / spread, 1 / 1.4, 1.4);
    }
}
