using System.Globalization;
using System.Text.Json;
using RgLens.Cli.Infrastructure;

namespace RgLens.Tests.Cli;

/// <summary>Every numeric option of every command reads numbers the same way: invariant culture, '.' decimal point, no group separators.</summary>
public class NumberParsingTests
{
    private static void AssertRefused(CliRunner.Result r, string option, string text)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains(option, line);
        Assert.Contains($"'{text}'", line);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.Equal("", r.Output);
    }

    [Theory]
    [InlineData("exact --K {0}", "--K", "1,5")]
    [InlineData("exact --model gaussian --a {0}", "--a", "3,5")]
    [InlineData("exact --N {0}", "--N", "1,000")]
    [InlineData("exact --accuracy {0}", "--accuracy", "0,001")]
    [InlineData("exact --grid {0}", "--grid", "1,001")]
    [InlineData("rg --h {0}", "--h", "0,1")]
    [InlineData("rg --steps {0}", "--steps", "1,0")]
    [InlineData("sample --out x.npy --samples {0}", "--samples", "1,000")]
    [InlineData("sample --out x.npy --seed {0}", "--seed", "1,2")]
    [InlineData("fit --data x.npy --confidence {0}", "--confidence", "0,95")]
    [InlineData("fit --data x.npy --fix-h {0}", "--fix-h", "0,5")]
    [InlineData("train --data x.npy --widths 4,2 --out o --lr {0}", "--lr", "0,001")]
    [InlineData("train --data x.npy --widths 4,2 --out o --batch {0}", "--batch", "1,024")]
    [InlineData("train --data x.npy --widths 4,2 --out o --checkpoint-every {0}", "--checkpoint-every", "1,000")]
    [InlineData("correspond --margin {0}", "--margin", "0,1")]
    [InlineData("correspond --seeds {0}", "--seeds", "1,0")]
    [InlineData("bench sample --seconds {0}", "--seconds", "1,5")]
    [InlineData("bench mlp --seconds {0}", "--seconds", "0,5")]
    [InlineData("bench fit --samples {0}", "--samples", "100,000")]
    [InlineData("bench rg --repeats {0}", "--repeats", "1,0")]
    [InlineData("exact --K {0}", "--K", "1_5")]
    [InlineData("exact --K {0}", "--K", "0x10")]
    [InlineData("exact --N {0}", "--N", "1e3")]
    [InlineData("exact --N {0}", "--N", "99999999999")]
    [InlineData("train --data x.npy --widths 4,2 --out o --checkpoint-every {0}", "--checkpoint-every", "99999999999999999999")]
    public void GroupSeparatorsAndMalformedNumbersAreRefusedNamingTheOption(string commandLine, string option, string text)
    {
        var args = string.Format(CultureInfo.InvariantCulture, commandLine, text).Split(' ');
        AssertRefused(CliRunner.Run(args), option, text);
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e-3", 1e-3)]
    [InlineData("-0.5", -0.5)]
    [InlineData("+0.25", 0.25)]
    [InlineData("2E+1", 20)]
    [InlineData(".5", 0.5)]
    public void DecimalPointExponentAndSignAreRead(string text, double expected)
    {
        var r = CliRunner.Run("exact", "--K", text, "--h", "0", "--N", "8", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        Assert.Equal(expected, doc.RootElement.GetProperty("parameters").GetProperty("K").GetDouble());
    }

    [Fact]
    public void NegativeIntegersReachTheDomainCheckInsteadOfBeingMisread()
    {
        var r = CliRunner.Run("rg", "--steps", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--steps must be >= 0; got -1", r.Error);
    }

    [Theory]
    [InlineData("1.5", true, 1.5)]
    [InlineData("1,5", false, 0)]
    [InlineData("1 5", false, 0)]
    [InlineData(" 1.5", false, 0)]
    [InlineData("NaN", true, double.NaN)]
    [InlineData("-Infinity", true, double.NegativeInfinity)]
    public void TheSharedParserAcceptsOnlyPlainInvariantNumbers(string text, bool ok, double expected)
    {
        Assert.Equal(ok, NumericOptions.TryParseReal(text, out double v));
        if (ok) Assert.Equal(expected, v);
    }
}
