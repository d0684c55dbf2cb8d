using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using RgLens.Tests.Architecture;

namespace RgLens.Tests.Docs;

/// <summary>
/// docs/tutorial.md never goes stale: every <c>$ rglens …</c> line of its console blocks is run, in
/// order, in one fresh folder, and its standard output must equal the block's (wall times and
/// speeds masked; they are the only numbers that differ between runs of the same seed). With
/// RGLENS_UPDATE_TUTORIAL=1 the test rewrites the blocks instead (scripts/update_tutorial.sh).
/// </summary>
public partial class TutorialTests
{
    [Fact]
    public void EveryCommandOfTheTutorialRunsAndPrintsWhatTheTutorialShows()
    {
        string path = Path.Combine(NamespaceLayeringTests.RepositoryRoot(), "docs", "tutorial.md");
        string doc = File.ReadAllText(path);
        var blocks = Block().Matches(doc).ToArray();
        Assert.True(blocks.Length >= 8, $"only {blocks.Length} console blocks in docs/tutorial.md");
        using var dir = new TempDirectory();
        bool update = Environment.GetEnvironmentVariable("RGLENS_UPDATE_TUTORIAL") == "1";
        var rewritten = new StringBuilder();
        int last = 0;
        foreach (Match m in blocks)
        {
            string command = m.Groups["command"].Value.Trim();
            string expected = m.Groups["output"].Value;
            string actual = Run(command, dir.Path);
            if (update)
            {
                rewritten.Append(doc, last, m.Index - last).Append("```console\n$ ").Append(command).Append('\n').Append(actual).Append("```");
                last = m.Index + m.Length;
                continue;
            }
            Assert.True(Mask(expected) == Mask(actual), $"docs/tutorial.md is stale at '$ {command}':\n--- documented\n{expected}\n--- now\n{actual}");
        }
        if (update)
        {
            rewritten.Append(doc, last, doc.Length - last);
            File.WriteAllText(path, rewritten.ToString());
        }
    }

    private static string Run(string command, string folder)
    {
        Assert.StartsWith("rglens ", command);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rglens.dll"));
        foreach (string a in command["rglens ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) info.ArgumentList.Add(a);
        info.Environment["COLUMNS"] = "160";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"'$ {command}' exited {p.ExitCode}: {stderr}");
        string output = stdout.Result.Replace(folder, ".").Replace("\r\n", "\n");
        return output.EndsWith('\n') ? output : output + "\n";
    }

    /// <summary>Wall times, speeds and timing fields are masked; everything else must match.</summary>
    private static string Mask(string text)
    {
        text = Seconds().Replace(text, "# s");
        text = Rate().Replace(text, "# /s");
        return string.Join('\n', text.Split('\n').Select(l => l.TrimEnd()));
    }

    [GeneratedRegex("```console\\n\\$ (?<command>[^\\n]*)\\n(?<output>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"\d[\d,]*(\.\d+)? s\b")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"\d[\d,.]*(E[+-]?\d+)? (samples|spins|cells)/s")]
    private static partial Regex Rate();
}
