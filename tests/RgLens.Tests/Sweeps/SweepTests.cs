using Parquet;
using Parquet.Schema;
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Sweeps;

namespace RgLens.Tests.Sweeps;

public class SweepTests
{
    /// <summary>A cell small enough to run in about a second.</summary>
    private static CorrespondenceConfig Base() => new()
    {
        Theta0 = new IsingParameters(0.7, 0.1),
        Length = 16,
        Compressions = [2],
        Seeds = 2,
        Objectives = [Objective.Autoencoder],
        Readings = ["sign"],
        TrainSamples = 512,
        ProbeSamples = 256,
        Epochs = 3,
        BootstrapReplicates = 10,
        TrainingCheckpoints = 3,
        Threads = 1,
        Seed = 5,
    };

    [Fact]
    public void AxesParseListsAndRanges()
    {
        Assert.Equal(["0.3", "0.8"], SweepAxis.Parse("K=0.3, 0.8").Values);
        Assert.Equal(["0.2", "0.45", "0.7", "0.95", "1.2"], SweepAxis.Parse("K=0.2:1.2:5").Values);
        Assert.Equal(["autoencoder", "supervised"], SweepAxis.Parse("objective=autoencoder,supervised").Values);
        Assert.Equal("K", SweepAxis.Parse("K=1").Name);
        foreach (string bad in new[] { "K", "=1", "K=", "K=1,,2", "K=0:1", "K=0:1:0", "K=a:1:3", "K=1,1" })
            Assert.Throws<ArgumentException>(() => SweepAxis.Parse(bad));
    }

    [Fact]
    public void TheGridCrossesTheAxesWithSeedsFromTheCoordinates()
    {
        var cells = SweepGrid.Cells(Base(), [SweepAxis.Parse("K=0.3,0.8"), SweepAxis.Parse("b=2,4")], 100);
        Assert.Equal(4, cells.Count);
        Assert.Equal(("K", "0.3"), cells[1].Coordinates[0]);
        Assert.Equal(("b", "4"), cells[1].Coordinates[1]);
        Assert.Equal(0.3, cells[1].Config.Theta0["K"]);
        Assert.Equal([4], cells[1].Config.Compressions);
        Assert.Equal(4, cells.Select(c => c.Config.Seed).Distinct().Count());
        // Adding a value to an axis leaves the other cells' seeds (and so their results) unchanged.
        var wider = SweepGrid.Cells(Base(), [SweepAxis.Parse("K=0.3,0.5,0.8"), SweepAxis.Parse("b=2,4")], 100);
        Assert.Equal(cells[3].Config.Seed, wider.Single(c => c.Describe() == cells[3].Describe()).Config.Seed);
        // A seed axis sets the seed itself.
        Assert.Equal(7UL, SweepGrid.Cells(Base(), [SweepAxis.Parse("seed=7,8")], 10)[0].Config.Seed);
    }

    [Fact]
    public void BadGridsAreRefusedWithTheCellsCoordinates()
    {
        Assert.Contains("no parameter 'J'", Assert.Throws<ArgumentException>(() => SweepGrid.Cells(Base(), [SweepAxis.Parse("J=1,2")], 100)).Message);
        Assert.Contains("--max-cells 3", Assert.Throws<ArgumentException>(() => SweepGrid.Cells(Base(), [SweepAxis.Parse("K=0:1:2"), SweepAxis.Parse("h=0:1:2")], 3)).Message);
        var e = Assert.Throws<ArgumentException>(() => SweepGrid.Cells(Base(), [SweepAxis.Parse("b=2,32")], 100));
        Assert.Contains("cell 1 (b=32)", e.Message);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => SweepGrid.Cells(Base(), [SweepAxis.Parse("K=1"), SweepAxis.Parse("K=2")], 100)).Message);
        var gaussian = Base() with { Theta0 = new GaussianParameters(2, 0.5, 0) };
        Assert.Contains("cell 1 (K=1.5)", Assert.Throws<ArgumentException>(() => SweepGrid.Cells(gaussian, [SweepAxis.Parse("K=0.5,1.5")], 100)).Message);
    }

    [Fact]
    public void AnInterruptedSweepResumesToTheSameBytesAndAFailedCellIsRecorded()
    {
        using var dir = new TempDirectory();
        var axes = new[] { SweepAxis.Parse("K=0.3,0.8"), SweepAxis.Parse("h=0,0.2") };
        var cells = SweepGrid.Cells(Base(), axes, 100);

        var whole = SweepFolder.Open(dir.File("whole"), Base(), axes, cells, force: false);
        LocalExecutor.Run(cells, whole, threads: 2);
        var a = SweepSummary.Merge(whole, axes, cells, "local", null, 0, 0);
        Assert.Equal(4, a.Ok);

        // Stop after the first finished cell (as SIGTERM would), then run again with the same grid.
        var part = SweepFolder.Open(dir.File("part"), Base(), axes, cells, force: false);
        using (var cancel = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => LocalExecutor.Run(cells, part, threads: 1, p => { if (p.Done >= 1) cancel.Cancel(); }, cancel.Token));
        }
        int finished = cells.Count(part.IsDone);
        Assert.InRange(finished, 1, 3);
        part = SweepFolder.Open(dir.File("part"), Base(), axes, cells, force: false);
        LocalExecutor.Run(cells, part, threads: 2);
        SweepSummary.Merge(part, axes, cells, "local", null, 0, 0);
        Assert.Equal(File.ReadAllBytes(dir.File("whole/results.csv")), File.ReadAllBytes(dir.File("part/results.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("whole/results.parquet")), File.ReadAllBytes(dir.File("part/results.parquet")));

        // The same folder with another grid is refused; forced, it starts over.
        var other = SweepGrid.Cells(Base(), [SweepAxis.Parse("K=0.4")], 100);
        Assert.Contains("different sweep", Assert.Throws<ArgumentException>(() => SweepFolder.Open(dir.File("whole"), Base(), [SweepAxis.Parse("K=0.4")], other, force: false)).Message);

        // A cell that fails at run time is recorded; the others are not affected.
        var broken = cells.Select(c => c.Index == 2 ? c with { Config = c.Config with { ProbeSamples = 1 } } : c).ToArray();
        var mixed = SweepFolder.Open(dir.File("mixed"), Base(), axes, broken, force: false);
        LocalExecutor.Run(broken, mixed, threads: 2);
        var m = SweepSummary.Merge(mixed, axes, broken, "local", null, 0, 0);
        Assert.Equal((3, 1), (m.Ok, m.Failed));
        var failedRow = m.Rows.Single(r => r.Cell == 2);
        Assert.Equal("failed", failedRow.Status);
        Assert.Contains("probe samples", failedRow.Error);
        Assert.Equal(a.Rows.Where(r => r.Cell != 2).Select(r => r.Estimate), m.Rows.Where(r => r.Cell != 2).Select(r => r.Estimate));
    }

    [Fact]
    public async Task TheParquetTableHoldsWhatTheCsvHolds()
    {
        using var dir = new TempDirectory();
        var axes = new[] { SweepAxis.Parse("objective=autoencoder,supervised") };
        var cells = SweepGrid.Cells(Base(), axes, 100);
        var folder = SweepFolder.Open(dir.Path, Base(), axes, cells, force: false);
        LocalExecutor.Run(cells, folder, threads: 2);
        var s = SweepSummary.Merge(folder, axes, cells, "local", null, 0, 0);
        Assert.Equal(10, s.Rows.Count); // 2 cells × 5 claims
        await using var stream = File.OpenRead(dir.File("results.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(new[] { "cell", "objective" }.Concat(SweepRow.Columns), fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(10, group.RowCount);
        var estimate = new double[10];
        await group.ReadAsync(fields.First(f => f.Name == "estimate"), estimate.AsMemory());
        Assert.Equal(s.Rows.Select(r => r.Estimate), estimate);
        var claims = new string?[10];
        await group.ReadAsync(fields.First(f => f.Name == "claim"), claims.AsMemory());
        Assert.Equal(s.Rows.Select(r => r.Claim), claims);
        var csv = File.ReadAllLines(dir.File("results.csv"));
        Assert.Equal(11, csv.Length);
        Assert.StartsWith("cell,objective,status,error,claim,", csv[0]);
    }

    [Fact]
    public void TheSlurmScriptRunsEachPendingCellThroughAnArray()
    {
        var script = SlurmExecutor.Script([1, 4, 5], "/shared/sweep", ["rglens", "sweep", "--axis", "K=0.3,0.8", "--note", "it's", "--cell", "{cell}"],
            new SlurmOptions(Partition: "short", Time: "00:30:00", Memory: "2G", Throttle: 3, CellsPerTask: 2));
        Assert.Contains("#SBATCH --array=0-1%3", script);          // 3 cells, 2 per task
        Assert.Contains("#SBATCH --partition=short", script);
        Assert.Contains("#SBATCH --time=00:30:00", script);
        Assert.Contains("#SBATCH --mem=2G", script);
        Assert.Contains("cells=(1 4 5)", script);
        Assert.Contains("rglens sweep --axis K=0.3,0.8 --note 'it'\\''s' --cell \"$cell\"", script);
        Assert.Throws<ArgumentException>(() => SlurmExecutor.Script([0], "/s", ["x"], new SlurmOptions(Throttle: 0)));
        Assert.Throws<ArgumentException>(() => SlurmExecutor.Script([0], "/s", ["x"], new SlurmOptions(Partition: "a b")));
        Assert.Throws<ArgumentException>(() => SlurmExecutor.Script([], "/s", ["x"], new SlurmOptions()));
    }
}
