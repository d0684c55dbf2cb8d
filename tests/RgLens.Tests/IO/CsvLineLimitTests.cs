using System.Diagnostics;
using RgLens.IO;

namespace RgLens.Tests.IO;

public class CsvLineLimitTests
{
    [Fact]
    public void AnEndlessLineIsRefusedAtTheLimitNotAfterReadingIt()
    {
        using var dir = new TempDirectory();
        string file = dir.File("one-line.csv");
        using (var w = new StreamWriter(file))
        {
            var chunk = new string('1', 1 << 20);
            for (int i = 0; i < 20; i++) w.Write(chunk); // 20 Mi characters, no line break
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DataFormatException>(() => CsvMatrix.Read<double>(file));
        Assert.Contains("line 1 is longer than", e.Message);
        Assert.True(clock.Elapsed.TotalSeconds < 10);
        // What was allocated is bounded by the limit (a few copies of one 16 Mi-character line), not by the file.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8L * 2 * CsvMatrix.MaxLineChars, "allocated more than the line limit allows");
    }

    [Fact]
    public void LineEndingsOfEveryKindStillRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.csv"), "1,2\r\n3,4\n5,6");
        var m = CsvMatrix.Read<double>(dir.File("a.csv"));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], m.Data);
    }
}
