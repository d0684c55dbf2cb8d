using System.Diagnostics;

namespace RgLens.Tests.Cli;

/// <summary>A benchmark's measuring time must be finite and positive: ∞ or NaN would never end, 0 or less never measures.</summary>
public class BenchSecondsTests
{
    [Theory]
    [InlineData("sample", "Infinity")]
    [InlineData("sample", "NaN")]
    [InlineData("sample", "0")]
    [InlineData("sample", "-1")]
    [InlineData("sample", "7200")]
    [InlineData("mlp", "Infinity")]
    [InlineData("mlp", "NaN")]
    [InlineData("mlp", "0")]
    [InlineData("mlp", "-0.5")]
    [InlineData("mlp", "-Infinity")]
    public void NonFiniteOrNonPositiveSecondsAreRefusedAtOnce(string bench, string seconds)
    {
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run("bench", bench, "--seconds", seconds);
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed.TotalSeconds} s");
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: --seconds must be a finite number of seconds in (0, 3600]", line);
        Assert.Contains(seconds, line);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void AShortFiniteMeasuringTimeStillRuns()
    {
        var r = CliRunner.Run("bench", "sample", "--N", "16", "--batch", "8", "--threads", "1", "--seconds", "0.01");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("spins_per_s", r.Output);
    }
}
