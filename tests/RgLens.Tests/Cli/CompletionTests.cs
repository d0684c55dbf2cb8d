namespace RgLens.Tests.Cli;

/// <summary>Shell completion goes through System.CommandLine's [suggest] directive (scripts/rglens-completion.bash).</summary>
public class CompletionTests
{
    [Theory]
    [InlineData("corr", 4, "correspond")]
    [InlineData("sweep --exe", 11, "--executor")]
    [InlineData("correspond --arch", 17, "--architecture")]
    public void TheSuggestDirectiveCompletesCommandsAndOptions(string line, int position, string expected)
    {
        var r = CliRunner.Run($"[suggest:{position}]", line);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(expected, r.Output.Split('\n', StringSplitOptions.TrimEntries));
    }
}
