using System.Text.RegularExpressions;

namespace RgLens.Tests.Architecture;

/// <summary>
/// The library's namespaces follow the data (style.md §1): each may use only the namespaces
/// before it in <see cref="Order"/>. Checked on the source: every <c>using RgLens.X</c> and every
/// qualified <c>RgLens.X.</c> reference in a file under src/RgLens.Core/X.
/// </summary>
public partial class NamespaceLayeringTests
{
    private static readonly string[] Order =
    [
        "Numerics", "Data", "IO", "Models", "Exact", "Sampling", "Renormalization", "Estimation",
        "Sources", "Nn", "Networks", "Probes", "Comparison", "Results", "Claims", "Experiments", "Sweeps",
    ];

    [Fact]
    public void NamespacesDependOnlyOnEarlierStages()
    {
        string root = Path.Combine(RepositoryRoot(), "src", "RgLens.Core");
        var violations = new List<string>();
        int files = 0;
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("obj") || relative.StartsWith("bin")) continue;
            string folder = relative.Contains(Path.DirectorySeparatorChar) ? relative[..relative.IndexOf(Path.DirectorySeparatorChar)] : "";
            int own = Array.IndexOf(Order, folder);
            if (own < 0) continue; // files at the root (exceptions) are shared by all
            files++;
            foreach (Match m in Reference().Matches(File.ReadAllText(file)))
            {
                int used = Array.IndexOf(Order, m.Groups[1].Value);
                if (used > own) violations.Add($"{relative} uses RgLens.{m.Groups[1].Value}");
            }
        }
        Assert.True(files > 20, $"only {files} source files found under {root}");
        Assert.Empty(violations.Distinct());
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RgLens.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("RgLens.slnx not found above the test binaries.");
    }

    [GeneratedRegex(@"\bRgLens\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex Reference();
}
