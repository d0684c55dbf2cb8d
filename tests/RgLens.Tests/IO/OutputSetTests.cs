using RgLens.IO;

namespace RgLens.Tests.IO;

/// <summary>The files of a run become visible together, or not at all (docs/reliability.md, "Output files").</summary>
public class OutputSetTests
{
    private static string[] Visible(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f)).Where(f => !Path.GetFileName(f).StartsWith('.')).Order().ToArray();

    [Fact]
    public void StagedFilesAppearOnlyWhenTheSetCommits()
    {
        using var dir = new TempDirectory();
        using (var set = OutputSet.Begin())
        {
            AtomicFile.WriteAllText(dir.File("a.txt"), "a");
            AtomicFile.WriteAllText(dir.File("b.txt"), "b");
            AtomicFile.WriteAllText(dir.File("kept.txt"), "now", immediate: true);
            Assert.Equal(["kept.txt"], Visible(dir.Path));
            Assert.Equal([dir.File("a.txt"), dir.File("b.txt")], set.Targets);
            set.Commit();
        }
        Assert.Equal(["a.txt", "b.txt", "kept.txt"], Visible(dir.Path));
        Assert.Equal("b", File.ReadAllText(dir.File("b.txt")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
        Assert.Null(OutputSet.Current);
    }

    [Fact]
    public void ASetPublishedEarlyKeepsItsFilesAndLetsLaterOnesThroughAtOnce()
    {
        // A command publishes its files before the summary that names them (CliContext.Publish):
        // the set is committed once, a second commit (the CLI's own, at the end) changes nothing,
        // and a file written after it is not staged into a finished set, where it would be lost.
        using var dir = new TempDirectory();
        using (var set = OutputSet.Begin())
        {
            AtomicFile.WriteAllText(dir.File("run.json"), "{}");
            Assert.False(set.IsCommitted);
            set.Commit();
            Assert.True(set.IsCommitted);
            Assert.Equal(["run.json"], Visible(dir.Path));
            AtomicFile.WriteAllText(dir.File("late.txt"), "late");
            Assert.Equal(["late.txt", "run.json"], Visible(dir.Path));
            set.Commit();
        }
        Assert.Equal(["late.txt", "run.json"], Visible(dir.Path));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void ASetDisposedWithoutCommitLeavesNothingAndRemovesTheFoldersItCreated()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("before.txt"), "old");
        string run = Path.Combine(dir.Path, "runs", "x");
        using (OutputSet.Begin())
        {
            OutputFolder.CreateTracked(run);
            AtomicFile.WriteAllText(Path.Combine(run, "network.npz"), "n");
            AtomicFile.WriteAllText(dir.File("before.txt"), "new");
            Assert.True(Directory.Exists(run));
        }
        Assert.Equal(["before.txt"], Visible(dir.Path));
        Assert.Equal("old", File.ReadAllText(dir.File("before.txt")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial", SearchOption.AllDirectories));
        Assert.Null(OutputSet.Current);
    }

    [Fact]
    public void WithoutASetFilesAreVisibleAtOnceAndAFolderWithKeptStateStays()
    {
        using var dir = new TempDirectory();
        AtomicFile.WriteAllText(dir.File("plain.txt"), "p");
        Assert.Equal(["plain.txt"], Visible(dir.Path));
        string run = dir.File("train");
        using (OutputSet.Begin())
        {
            OutputFolder.CreateTracked(run);
            AtomicFile.WriteAllText(Path.Combine(run, "checkpoint.npz"), "c", immediate: true);
            AtomicFile.WriteAllText(Path.Combine(run, "loss.csv"), "l");
        }
        Assert.Equal(["plain.txt", "train", Path.Combine("train", "checkpoint.npz")], Visible(dir.Path));
    }
}
