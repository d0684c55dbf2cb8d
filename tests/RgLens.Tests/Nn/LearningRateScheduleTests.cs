using RgLens.Nn;

namespace RgLens.Tests.Nn;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantIsOne() => Assert.Equal(1, new ConstantSchedule().Factor(17, 100, 3));

    [Fact]
    public void StepDecaysEveryGivenEpochs()
    {
        var s = new StepSchedule(EveryEpochs: 3, Gamma: 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(e => s.Factor(0, 0, e)));
    }

    [Fact]
    public void CosineGoesFromOneToTheMinimum()
    {
        var s = new CosineSchedule(MinFactor: 0.1);
        Assert.Equal(1, s.Factor(0, 100, 0), 12);
        Assert.Equal(0.55, s.Factor(50, 100, 0), 12);
        Assert.Equal(0.1, s.Factor(100, 100, 0), 12);
    }

    [Fact]
    public void InvalidSchedulesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new StepSchedule(0, 0.5).Validate());
        Assert.Throws<ArgumentException>(() => new StepSchedule(2, 0).Validate());
        Assert.Throws<ArgumentException>(() => new CosineSchedule(1.5).Validate());
    }
}
