using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Sampling;

namespace RgLens.Tests.Estimation;

public class IsingFieldChainTests
{
    private const double Ridge = IsingFieldChain.Ridge;

    [Theory]
    [InlineData(Boundary.Periodic)]
    [InlineData(Boundary.Open)]
    public void LogPartitionMatchesEnumeration(Boundary boundary)
    {
        var rng = new RandomStream(11);
        for (int sites = 2; sites <= 8; sites++)
        {
            for (int trial = 0; trial < 5; trial++)
            {
                double k = 3 * rng.NextDouble() - 1.5;
                var h = Enumerable.Range(0, sites).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
                var exact = new FieldEnumeration(k, h, boundary);
                Assert.Equal(exact.LogZ, IsingFieldChain.LogPartition(k, h, boundary), 1e-10);
            }
        }
        // Large parameters: the rescaled products neither overflow nor underflow.
        double[] big = [40, -35, 60, 0.5];
        Assert.Equal(new FieldEnumeration(-25, big, boundary).LogZ, IsingFieldChain.LogPartition(-25, big, boundary), 1e-10);
    }

    [Theory]
    [InlineData(2, Boundary.Periodic)]
    [InlineData(2, Boundary.Open)]
    [InlineData(3, Boundary.Periodic)]
    [InlineData(5, Boundary.Open)]
    [InlineData(6, Boundary.Periodic)]
    [InlineData(8, Boundary.Open)]
    [InlineData(8, Boundary.Periodic)]
    public void FitsAreTheStationaryPointsOfTheEnumeratedPenalizedLikelihood(int sites, Boundary boundary)
    {
        // Statistics of a small data set with different fields per site and a coupling.
        var rng = new RandomStream((ulong)(100 + sites));
        var truth = new FieldEnumeration(0.4, Enumerable.Range(0, sites).Select(j => 0.8 * Math.Sin(j + 1.0)).ToArray(), boundary);
        var data = truth.Sample(300, rng);
        var (m, c) = Statistics(data, boundary);

        var unit = IsingFieldChain.FitPerUnit(m, c, boundary);
        Assert.True(unit.Converged);
        Assert.Equal(sites, unit.Fields.Count);
        var atUnit = new FieldEnumeration(unit.Coupling, unit.Fields.ToArray(), boundary);
        // Zero penalized gradient: data moment = model moment + ε θ.
        Assert.Equal(c, atUnit.BondMean + Ridge * unit.Coupling, 1e-8);
        for (int j = 0; j < sites; j++) Assert.Equal(m[j], atUnit.SiteMean(j) + Ridge * unit.Fields[j], 1e-8);
        Assert.Equal(atUnit.MeanLogLikelihood(m, c), unit.MeanLogLikelihood, 1e-10);

        var hom = IsingFieldChain.FitHomogeneous(m, c, boundary);
        Assert.True(hom.Converged);
        double h = Assert.Single(hom.Fields);
        var atHom = new FieldEnumeration(hom.Coupling, Enumerable.Repeat(h, sites).ToArray(), boundary);
        Assert.Equal(c, atHom.BondMean + Ridge * hom.Coupling, 1e-8);
        Assert.Equal(m.Sum(), Enumerable.Range(0, sites).Sum(atHom.SiteMean) + Ridge * sites * h, 1e-8);
        Assert.Equal(atHom.MeanLogLikelihood(m, c), hom.MeanLogLikelihood, 1e-10);

        // And they are maxima: every nearby point of the enumerated objective is lower.
        double unitBest = Penalized(unit.Coupling, unit.Fields.ToArray(), m, c, boundary);
        double homBest = Penalized(hom.Coupling, Enumerable.Repeat(h, sites).ToArray(), m, c, boundary);
        for (int t = 0; t < 10; t++)
        {
            double dk = 0.02 * (2 * rng.NextDouble() - 1);
            var moved = unit.Fields.Select(f => f + 0.02 * (2 * rng.NextDouble() - 1)).ToArray();
            Assert.True(Penalized(unit.Coupling + dk, moved, m, c, boundary) < unitBest);
            double dh = 0.02 * (2 * rng.NextDouble() - 1);
            Assert.True(Penalized(hom.Coupling + dk, Enumerable.Repeat(h + dh, sites).ToArray(), m, c, boundary) < homBest);
        }
        // The per-unit model nests the homogeneous one.
        Assert.True(unit.MeanLogLikelihood >= hom.MeanLogLikelihood - 1e-12);
    }

    [Theory]
    [InlineData(0.6, 0.2, 16, Boundary.Periodic)]
    [InlineData(-0.4, -0.3, 12, Boundary.Open)]
    [InlineData(0.3, 0.05, 2, Boundary.Periodic)]
    public void HomogeneousFitAgreesWithTheChainEstimator(double k, double h, int sites, Boundary boundary)
    {
        // The ridge moves the estimate by about ε θ / Var(statistic), ≲ 1e-7 here; it reaches 1e-6
        // only where a statistic barely varies (e.g. a 2-site ring at K ≈ 1, where it is ~6e-6).
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(k, h), sites, boundary), 2000, seed: 21);
        var reference = IsingEstimator.Fit(data, boundary, EstimationMethod.MaximumLikelihood, new FitOptions { Replicates = 0 });
        var reading = IsingFieldChain.Read(data, boundary, replicates: 0, seed: 1);
        Assert.Equal(reference["K"].Estimate, reading.Homogeneous.Coupling, 1e-6);
        Assert.Equal(reference["h"].Estimate, reading.Homogeneous.Fields[0], 1e-6);
        Assert.Equal(sites - 1, reading.DegreesOfFreedom);
        Assert.Equal(2000, reading.Samples);
        Assert.True(double.IsNaN(reading.HomogeneousCouplingSe));
        var (m, _) = Statistics(data, boundary);
        Assert.Equal(m, reading.Magnetizations.ToArray());
    }

    [Theory]
    [InlineData(Boundary.Periodic)]
    [InlineData(Boundary.Open)]
    public void LikelihoodRatioTestSeparatesEqualFromUnequalFields(Boundary boundary)
    {
        const int sites = 12, pinned = 3;
        var data = IsingSampler.Sample(new ChainModel(new IsingParameters(0.5, 0.1), sites, boundary), 2048, seed: 5);
        var equal = IsingFieldChain.Read(data, boundary, replicates: 0, seed: 1);
        Assert.True(equal.HomogeneityP > 1e-3, $"p = {equal.HomogeneityP:G3}, LR = {equal.LikelihoodRatio:G4}");
        Assert.True(equal.LikelihoodRatio >= 0);
        Assert.Equal(2.0 * 2048 * (equal.PerUnit.MeanLogLikelihood - equal.Homogeneous.MeanLogLikelihood), equal.LikelihoodRatio, 1e-6);

        for (int r = 0; r < data.Rows; r++) data[r, pinned] = 1;
        var unequal = IsingFieldChain.Read(data, boundary, replicates: 0, seed: 1);
        Assert.True(unequal.HomogeneityP < 1e-6, $"p = {unequal.HomogeneityP:G3}");
        Assert.True(unequal.PerUnit.Converged);
        double hp = unequal.PerUnit.Fields[pinned];
        Assert.True(double.IsFinite(hp) && hp > 4 && hp < 12, $"pinned field {hp}");
        Assert.Equal(1.0, unequal.Magnetizations[pinned]);
        // The other sites keep ordinary fields.
        Assert.All(unequal.PerUnit.Fields.Where((_, j) => j != pinned), f => Assert.InRange(f, -1, 1));
    }

    [Fact]
    public void BootstrapStandardErrorMatchesTheSpreadOverIndependentDataSets()
    {
        const double k = 0.5, h = 0.1;
        const int sites = 16, n = 1024;
        var model = new ChainModel(new IsingParameters(k, h), sites, Boundary.Periodic);
        var reading = IsingFieldChain.Read(IsingSampler.Sample(model, n, seed: 77), Boundary.Periodic, replicates: 100, seed: 3);
        double se = reading.PerUnitCouplingSe;
        Assert.True(Math.Abs(reading.PerUnit.Coupling - k) < Tolerances.StandardErrors * se,
            $"K = {reading.PerUnit.Coupling:G5}, se {se:G3}");
        Assert.True(reading.HomogeneousCouplingSe > 0 && reading.HomogeneousFieldSe > 0);
        Assert.True(Math.Abs(reading.Homogeneous.Fields[0] - h) < Tolerances.StandardErrors * reading.HomogeneousFieldSe);

        var estimates = new double[30];
        for (int s = 0; s < estimates.Length; s++)
        {
            var (m, c) = Statistics(IsingSampler.Sample(model, n, seed: 1000 + (ulong)s), Boundary.Periodic);
            estimates[s] = IsingFieldChain.FitPerUnit(m, c, Boundary.Periodic).Coupling;
        }
        double mean = estimates.Average();
        double spread = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (estimates.Length - 1));
        Assert.InRange(se / spread, 1 / 1.5, 1.5);

        // Reproducible: the replicates depend only on the seed.
        var again = IsingFieldChain.Read(IsingSampler.Sample(model, n, seed: 77), Boundary.Periodic, replicates: 100, seed: 3);
        Assert.Equal(se, again.PerUnitCouplingSe);
    }

    [Fact]
    public void BadInputIsADataFormatError()
    {
        var oneColumn = new SampleMatrix<sbyte>([1, -1, 1], 3, 1);
        Assert.Throws<DataFormatException>(() => IsingFieldChain.Read(oneColumn, Boundary.Open, 0, 1));
        var noRows = new SampleMatrix<sbyte>(0, 4);
        Assert.Throws<DataFormatException>(() => IsingFieldChain.Read(noRows, Boundary.Open, 0, 1));
        var zero = new SampleMatrix<sbyte>([1, -1, 0, 1], 2, 2);
        var ex = Assert.Throws<DataFormatException>(() => IsingFieldChain.Read(zero, Boundary.Periodic, 0, 1));
        Assert.Contains("row 2, column 1", ex.Message);
        var two = new SampleMatrix<sbyte>([1, 2, 1, 1], 2, 2);
        Assert.Throws<DataFormatException>(() => IsingFieldChain.Read(two, Boundary.Open, 0, 1));
    }

    private static double Penalized(double k, double[] h, double[] m, double c, Boundary boundary) =>
        new FieldEnumeration(k, h, boundary).MeanLogLikelihood(m, c) - 0.5 * Ridge * (k * k + h.Sum(x => x * x));

    /// <summary>Site means and mean bond sum, computed directly from the rows.</summary>
    private static (double[] M, double C) Statistics(SampleMatrix<sbyte> data, Boundary boundary)
    {
        int sites = data.Columns;
        var m = new double[sites];
        double c = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            for (int j = 0; j < sites; j++)
            {
                m[j] += data[r, j];
                if (j < sites - 1) c += data[r, j] * data[r, j + 1];
            }
            if (boundary == Boundary.Periodic) c += data[r, sites - 1] * data[r, 0];
        }
        return (m.Select(v => v / data.Rows).ToArray(), c / data.Rows);
    }

    /// <summary>All 2^M states of a chain with per-site fields (a two-site ring has two bonds).</summary>
    private sealed class FieldEnumeration
    {
        private readonly double[] _p;
        private readonly int _sites;
        private readonly Boundary _boundary;
        private readonly double _k;
        private readonly double[] _h;

        public FieldEnumeration(double k, double[] h, Boundary boundary)
        {
            _k = k;
            _h = h;
            _sites = h.Length;
            _boundary = boundary;
            int count = 1 << _sites;
            var logW = new double[count];
            for (int s = 0; s < count; s++) logW[s] = k * Bonds(s) + Enumerable.Range(0, _sites).Sum(j => h[j] * Spin(s, j));
            double max = logW.Max();
            _p = logW.Select(w => Math.Exp(w - max)).ToArray();
            double z = _p.Sum();
            for (int s = 0; s < count; s++) _p[s] /= z;
            LogZ = max + Math.Log(z);
            BondMean = Enumerable.Range(0, count).Sum(s => _p[s] * Bonds(s));
        }

        public double LogZ { get; }

        public double BondMean { get; }

        public double SiteMean(int j) => Enumerable.Range(0, _p.Length).Sum(s => _p[s] * Spin(s, j));

        /// <summary>ℓ = K c + Σ_j h_j m_j − ln Z: the mean of ln P(y) over data with these statistics.</summary>
        public double MeanLogLikelihood(double[] m, double c) => _k * c + Enumerable.Range(0, _sites).Sum(j => _h[j] * m[j]) - LogZ;

        public SampleMatrix<sbyte> Sample(int rows, RandomStream rng)
        {
            var data = new SampleMatrix<sbyte>(rows, _sites);
            for (int r = 0; r < rows; r++)
            {
                double u = rng.NextDouble(), acc = 0;
                int s = 0;
                for (; s < _p.Length - 1; s++)
                {
                    acc += _p[s];
                    if (u < acc) break;
                }
                for (int j = 0; j < _sites; j++) data[r, j] = (sbyte)Spin(s, j);
            }
            return data;
        }

        private static int Spin(int state, int site) => ((state >> site) & 1) == 0 ? 1 : -1;

        private int Bonds(int s)
        {
            int b = 0;
            for (int j = 0; j < _sites - 1; j++) b += Spin(s, j) * Spin(s, j + 1);
            if (_boundary == Boundary.Periodic) b += Spin(s, _sites - 1) * Spin(s, 0);
            return b;
        }
    }

    [Fact]
    public void TheOneStepBootstrapOfWideChainsMatchesTheSpreadOverDataSets()
    {
        // Above OneStepAbove sites each replicate is one Newton step from the point estimate.
        int m = IsingFieldChain.OneStepAbove + 16;
        var model = new ChainModel(new IsingParameters(0.5, 0.2), m);
        var estimates = new double[20];
        double se = 0;
        for (int k = 0; k < estimates.Length; k++)
        {
            var r = IsingFieldChain.Read(IsingSampler.Sample(model, 2000, seed: 500UL + (ulong)k), Boundary.Periodic, k == 0 ? 200 : 0, 7);
            estimates[k] = r.PerUnit.Coupling;
            if (k == 0) se = r.PerUnitCouplingSe;
        }
        double mean = estimates.Average();
        double spread = Math.Sqrt(estimates.Sum(v => (v - mean) * (v - mean)) / (estimates.Length - 1));
        // The sample SD of 20 draws is itself uncertain by about ±16 %: allow a factor 1.5.
        Assert.InRange(se / spread, 1 / 1.5, 1.5);
        Assert.True(Math.Abs(mean - 0.5) < 4 * spread / Math.Sqrt(estimates.Length), $"mean K {mean} vs 0.5");
    }

    [Fact]
    public void TheBlockBootstrapOfLargeSamplesMatchesTheSpreadOverDataSets()
    {
        // Beyond Bootstrap.MaxBlocks rows the replicates resample blocks of consecutive rows.
        const int n = 3 * Bootstrap.MaxBlocks + 123, m = 12;
        var model = new ChainModel(new IsingParameters(0.4, -0.1), m);
        var homK = new double[24];
        var unitK = new double[homK.Length];
        IsingFieldReading? first = null;
        for (int k = 0; k < homK.Length; k++)
        {
            var r = IsingFieldChain.Read(IsingSampler.Sample(model, n, seed: 900UL + (ulong)k), Boundary.Periodic, k == 0 ? 300 : 0, 5);
            homK[k] = r.Homogeneous.Coupling;
            unitK[k] = r.PerUnit.Coupling;
            first ??= r;
        }
        static double Sd(double[] v) => Math.Sqrt(v.Sum(x => (x - v.Average()) * (x - v.Average())) / (v.Length - 1));
        // The SD of 24 draws is uncertain by about ±15 %: allow a factor 1.5.
        Assert.InRange(first!.HomogeneousCouplingSe / Sd(homK), 1 / 1.5, 1.5);
        Assert.InRange(first.PerUnitCouplingSe / Sd(unitK), 1 / 1.5, 1.5);
    }

    [Fact]
    public void TheVectorizedRowPassMatchesThePlainLoops()
    {
        var rng = new RandomStream(71);
        foreach (int m in new[] { 2, 3, 31, 32, 33, 64, 65, 100, 1024 })
            for (int trial = 0; trial < 5; trial++)
            {
                var row = new sbyte[m];
                for (int j = 0; j < m; j++) row[j] = rng.NextDouble() < 0.6 ? (sbyte)1 : (sbyte)-1;
                Assert.True(IsingFieldChain.RowStatistics.AllSpins(row));
                foreach (bool ring in new[] { false, true })
                    Assert.Equal(IsingFieldChain.RowStatistics.BondSumReference(row, ring), IsingFieldChain.RowStatistics.BondSum(row, ring));
                var sums = Enumerable.Range(0, m + 7).Select(k => k * 3 - 20).ToArray();
                var expected = (int[])sums.Clone();
                for (int j = 0; j < m; j++) expected[j] += row[j];
                IsingFieldChain.RowStatistics.AddTo(sums, row);
                Assert.Equal(expected, sums);
                row[rng.NextInt(m)] = 0;
                Assert.False(IsingFieldChain.RowStatistics.AllSpins(row));
            }
    }
}
