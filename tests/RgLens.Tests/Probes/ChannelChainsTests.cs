using RgLens.Data;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Probes;
using RgLens.Sampling;

namespace RgLens.Tests.Probes;

public class ChannelChainsTests
{
    /// <summary>Three channels of 8 sites: each channel a noisy copy of the input chain, channel 1 with the opposite sign.</summary>
    private static (SampleMatrix<float> Input, SampleMatrix<float> SiteMajor, SampleMatrix<float> ChannelMajor) Layer()
    {
        var x = IsingSampler.Sample(new ChainModel(new IsingParameters(0.7, 0.1), 8), 800, seed: 3).Convert<float>();
        const int C = 3, W = 8;
        var random = new Random(5);
        var siteMajor = new SampleMatrix<float>(x.Rows, C * W);
        var channelMajor = new SampleMatrix<float>(x.Rows, C * W);
        for (int b = 0; b < x.Rows; b++)
            for (int c = 0; c < C; c++)
                for (int w = 0; w < W; w++)
                {
                    float v = (c == 1 ? -1 : 1) * (0.5f + c) * x[b, w] + (float)(random.NextDouble() - 0.5);
                    siteMajor[b, w * C + c] = v;
                    channelMajor[b, c * W + w] = v;
                }
        return (x, siteMajor, channelMajor);
    }

    [Fact]
    public void TheSameUnitsInEitherLayoutReadTheSame()
    {
        var (x, siteMajor, channelMajor) = Layer();
        IReading[] readings = [new SignReading(), new ContinuousReading()];
        var a = ChannelChains.Read(siteMajor, siteMajor, new ChannelLayout(3, 8, ChannelOrder.SiteMajor), x, readings, Boundary.Periodic, 5, 9, 1);
        var b = ChannelChains.Read(channelMajor, channelMajor, new ChannelLayout(3, 8, ChannelOrder.ChannelMajor), x, readings, Boundary.Periodic, 5, 9, 1);
        // Channel 1 is anti-aligned with the input's magnetization; the others aligned.
        Assert.Equal([1, -1, 1], a.ChannelSigns);
        Assert.Equal(a.ChannelSigns, b.ChannelSigns);
        for (int r = 0; r < readings.Length; r++)
        {
            Assert.Equal(24, a.Readings[r].Units);
            Assert.Equal(a.Readings[r].Coupling.Estimate, b.Readings[r].Coupling.Estimate);
            Assert.Equal(a.Readings[r].Coupling.StandardError, b.Readings[r].Coupling.StandardError);
            Assert.Equal(a.Readings[r].UnitMeans, b.Readings[r].UnitMeans);
            Assert.True(a.Readings[r].Coupling.Estimate > 0.2, $"{readings[r].Id}: {a.Readings[r].Coupling.Estimate}");
        }
        // The layer's gauge gives every unit its channel's sign, in the layout's columns.
        Assert.Equal(-1, a.Gauge.Signs[3 * 5 + 1]);
        Assert.Equal(-1, b.Gauge.Signs[8 * 1 + 5]);
        Assert.Equal(1, b.Gauge.Signs[5]);

        // Read in the wrong layout, the "channels" mix sites of different channels: not the same numbers.
        var wrong = ChannelChains.Read(channelMajor, channelMajor, new ChannelLayout(3, 8, ChannelOrder.SiteMajor), x, readings, Boundary.Periodic, 5, 9, 1);
        Assert.NotEqual(a.Readings[0].Coupling.Estimate, wrong.Readings[0].Coupling.Estimate);
    }

    [Fact]
    public void PoolingAveragesTheChannels()
    {
        var (x, siteMajor, _) = Layer();
        var layout = new ChannelLayout(3, 8, ChannelOrder.SiteMajor);
        var pooled = ChannelChains.Read(siteMajor, siteMajor, layout, x, [new ContinuousReading()], Boundary.Open, 0, 2, 4);
        double mean = 0;
        for (int c = 0; c < 3; c++)
        {
            var channel = ChannelChains.Channel(siteMajor, layout, c);
            Assert.Equal(siteMajor[7, 5 * 3 + c], channel[7, 5]);
            var gauge = new UnitGauge(Enumerable.Range(0, 8).ToArray(), Enumerable.Repeat(pooled.ChannelSigns[c], 8).ToArray(), Enumerable.Range(0, 8).Select(i => (double)i).ToArray());
            mean += new ContinuousReading().Read(new ReadingInput(channel, channel, gauge, Boundary.Open, 0, RgLens.Numerics.RandomStream.Derive(2, "layer-continuous", 4 * 4096 + c), false)).Coupling.Estimate / 3;
        }
        Assert.Equal(mean, pooled.Readings[0].Coupling.Estimate, 12);
    }

    private static ReadingMeasurement Channel(double k, double se) =>
        new("sign", 8, new RgLens.Estimation.ParameterEstimate("K", k, k - 1.96 * se, k + 1.96 * se, se), null, null, null, null, null,
            new double[8], null, 0.5, null, []);

    [Fact]
    public void ChannelsThatDisagreeBeyondTheirErrorsAreSaidToAndEachIsKept()
    {
        // One degenerate channel (K = −2.1, its coupling set by the ridge) beside three near 0.7:
        // the pooled mean 0.0045 stands for none of them. Cochran's Q against the inverse-variance
        // mean says so and names the outlier; every channel's reading is kept. Four channels within
        // their errors of one another give no such warning.
        var apart = ChannelChains.Pool("sign", [Channel(-2.1, 0.006), Channel(0.81, 0.004), Channel(0.64, 0.004), Channel(0.668, 0.004)]);
        Assert.Equal((-2.1 + 0.81 + 0.64 + 0.668) / 4, apart.Coupling.Estimate, 12);
        Assert.Equal(4, apart.Channels!.Count);
        var warning = Assert.Single(apart.Warnings, w => w.Contains("differ beyond their standard errors"));
        Assert.Contains("channel 0: K = -2.1", warning);
        var together = ChannelChains.Pool("sign", [Channel(0.70, 0.01), Channel(0.71, 0.01), Channel(0.69, 0.01), Channel(0.705, 0.01)]);
        Assert.DoesNotContain(together.Warnings, w => w.Contains("differ beyond"));
        var json = RgLens.Experiments.CorrespondenceJson.Measurement(apart);
        Assert.Equal(4, json["channels"]!.AsArray().Count);
        Assert.Equal(-2.1, json["channels"]![0]!["coupling"]!["estimate"]!.GetValue<double>());
    }

    [Fact]
    public void MismatchedSizesAreRefused()
    {
        var (x, siteMajor, _) = Layer();
        Assert.Throws<ArgumentException>(() => ChannelChains.Read(siteMajor, siteMajor, new ChannelLayout(4, 8, ChannelOrder.SiteMajor), x,
            [new SignReading()], Boundary.Periodic, 0, 1, 1));
        Assert.Throws<ArgumentException>(() => ChannelChains.Pool("sign", []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelChains.Channel(siteMajor, new ChannelLayout(3, 8, ChannelOrder.SiteMajor), 3));
    }
}
