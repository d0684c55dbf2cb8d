namespace RgLens.Tests.Architecture;

/// <summary>
/// The documentation a user has is the repository: docs/theory.md, docs/theory-choices.md and the
/// other pages under docs/. No file under src/ or docs/ may send the reader to notes they do not
/// have (the developers' theory notes by section number, engineering or style notes, a sibling
/// "shared" folder).
/// </summary>
public class DocReferenceTests
{
    private static readonly string[] Forbidden = ["../shared", "theory.md §", "engineering.md", "style.md", "theory notes"];

    /// <summary>
    /// Files allowed to cite such notes (none: keep it so).
    /// </summary>
    private static readonly HashSet<string> KnownExceptions =
    [
    ];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RgLens.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no RgLens.slnx above {AppContext.BaseDirectory}");
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/').Any(part => part is "bin" or "obj");

    [Fact]
    public void NoFileCitesNotesUsersDoNotHave()
    {
        string root = RepositoryRoot();
        var offences = new List<string>();
        foreach (string top in new[] { "src", "docs" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, top), "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (IsBuildOutput(relative) || KnownExceptions.Contains(relative)) continue;
                if (Path.GetExtension(file) is not (".cs" or ".md" or ".csproj" or ".props" or ".txt" or ".json" or ".html" or ".py" or ".sh")) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    foreach (string f in Forbidden)
                        if (lines[i].Contains(f, StringComparison.Ordinal))
                            offences.Add($"{relative}:{i + 1}: cites '{f}'");
            }
        Assert.True(offences.Count == 0, "cite docs/theory.md (by section name) or docs/theory-choices.md instead:\n" + string.Join('\n', offences));
    }

    [Fact]
    public void TheoryPageHasTheSectionsTheCodeCites()
    {
        string root = RepositoryRoot();
        string theory = File.ReadAllText(Path.Combine(root, "docs", "theory.md"));
        var headings = theory.Split('\n').Where(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()).ToHashSet();
        var cited = new HashSet<string>();
        foreach (string top in new[] { "src", "docs" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, top), "*.*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (IsBuildOutput(relative) || Path.GetExtension(file) is not (".cs" or ".md")) continue;
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(
                             File.ReadAllText(file), @"theory\.md\)?, ""([^""]+)"""))
                    cited.Add(m.Groups[1].Value);
            }
        Assert.NotEmpty(cited);
        var missing = cited.Where(c => !headings.Contains(c)).ToArray();
        Assert.True(missing.Length == 0, "docs/theory.md has no section " + string.Join(", ", missing.Select(m => $"\"{m}\"")));
    }
}
