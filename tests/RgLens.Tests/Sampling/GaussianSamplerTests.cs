using RgLens.Data;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Tests.Sampling;

public class GaussianSamplerTests
{
    public static TheoryData<double, double, double, int, Boundary> Models()
    {
        var data = new TheoryData<double, double, double, int, Boundary>();
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
            foreach (var (a, k, h) in new[] { (2.0, 0.7, 0.3), (1.0, -0.45, 0.0), (1.0, 0.49, -0.2) })
                foreach (int n in new[] { 2, 3, 40 })
                    data.Add(a, k, h, n, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MomentsMatchTheClosedFormsWithinFourStandardErrors(double a, double k, double h, int n, Boundary boundary)
    {
        var model = new ChainModel(new GaussianParameters(a, k, h), n, boundary);
        var s = GaussianChainSampler.Sample(model, 20_000, seed: 18);
        SampleMoments.CheckAgainstExact(model, s);
    }

    [Fact]
    public void SameSeedSameNumbersWhateverTheThreadsOrChunks()
    {
        var model = new ChainModel(new GaussianParameters(2, 0.7, 0.1), 33, Boundary.Periodic);
        var one = ChainSampler.Sample(model, 300, 42, threads: 1);
        var two = ChainSampler.Sample(model, 300, 42, threads: 2);
        Assert.Equal(one.Data, two.Data);
        var chunk = new SampleMatrix<double>(300 - 128, 33);
        ChainSampler.SampleInto(model, 42, 128, chunk, threads: 2);
        Assert.Equal(one.Data.AsSpan(128 * 33).ToArray(), chunk.Data);
        Assert.NotEqual(one.Data, ChainSampler.Sample(model, 300, 43).Data);
    }

    [Fact]
    public void BadRequestsAreRejected()
    {
        var model = new ChainModel(new GaussianParameters(2, 0.7, 0.1), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChainSampler.Sample(model, 0, 1));
        Assert.Throws<ModelDomainException>(() => ChainSampler.Sample(new ChainModel(new GaussianParameters(1, 0.7, 0), 10), 5, 1));
        Assert.Throws<ArgumentException>(() => GaussianChainSampler.SampleInto(model, 1, 3, new SampleMatrix<double>(4, 10)));
        Assert.Throws<RgLensException>(() => GaussianChainSampler.Sample(new ChainModel(new IsingParameters(1, 0), 10), 5, 1));
    }
}
