using System.CommandLine;
using System.Diagnostics;
using RgLens.Cli;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Nn;
using Xunit.Abstractions;

namespace RgLens.Tests.Cli;

/// <summary>
/// Every command of the CLI through one hostile table (docs/reliability.md): unwritable outputs,
/// malformed and overflowing numbers, hostile input files, and SIGTERM at a seeded random point of
/// a real run. The commands are enumerated from the CLI's own command tree, and every one must
/// have a row in <see cref="Table"/>, so a new command cannot be forgotten.
/// </summary>
public sealed class CommandMatrixTests(CommandMatrixTests.Inputs inputs, ITestOutputHelper log) : IClassFixture<CommandMatrixTests.Inputs>
{
    /// <summary>What a run may leave behind in its output folder after a signal: resumable state, written on purpose.</summary>
    private static readonly string[] ResumableState = ["checkpoint.npz", "cells", "sweep-spec.json"];

    /// <summary>Peak resident memory allowed for any of the small runs below (the runtime alone is ~60 MB).</summary>
    private const long PeakLimitKb = 1_500_000;

    /// <summary>One command: a small valid invocation, where it writes, a numeric option, the file options it reads, and a run long enough to interrupt.</summary>
    /// <param name="Path">The command as typed (<c>bench mlp</c>).</param>
    /// <param name="Valid">A small valid invocation writing under the given folder (OUT stands for the output path).</param>
    /// <param name="Output">The output option and whether it names a folder (null: the command writes no file).</param>
    /// <param name="Number">A numeric option that takes a real number (or an integer where the command has none).</param>
    /// <param name="Inputs">The options that name files the command reads, with the kind of file and the options that make it apply.</param>
    /// <param name="Long">An invocation that runs for seconds (OUT stands for the output path).</param>
    public sealed record Case(string Path, Func<Inputs, string[]> Valid, (string Option, bool Folder)? Output, string Number,
        (string Option, InputKind Kind, string[] With)[] Inputs, Func<Inputs, string[]> Long);

    public enum InputKind
    {
        Data,
        Network,
        Json,
    }

    public static readonly Case[] Table =
    [
        new("exact", _ => ["exact", "--N", "8"], null, "--K", [],
            _ => ["exact", "--model", "phi4", "--grid", "1025"]),
        new("sample", _ => ["sample", "--N", "8", "--samples", "20", "--out", "OUT"], ("--out", false), "--K", [],
            _ => ["sample", "--N", "1024", "--samples", "3000000", "--out", "OUT"]),
        new("rg", _ => ["rg", "--steps", "2"], null, "--K", [],
            _ => ["rg", "--model", "phi4", "--grid", "1025", "--steps", "20"]),
        new("fit", i => ["fit", "--data", i.Spins, "--replicates", "5"], null, "--confidence", [("--data", InputKind.Data, [])],
            i => ["fit", "--data", i.Spins, "--replicates", "1000000"]),
        new("train", i => ["train", "--data", i.Spins, "--widths", "16,4", "--epochs", "1", "--threads", "1", "--out", "OUT"], ("--out", true), "--lr",
            [("--data", InputKind.Data, []), ("--targets", InputKind.Data, ["--objective", "supervised"]), ("--init-from", InputKind.Network, [])],
            i => ["train", "--data", i.Spins, "--widths", "16,8", "--epochs", "100000", "--patience", "0", "--threads", "1", "--out", "OUT"]),
        new("correspond", _ => ["correspond", "--quick", "--seeds", "1", "--out", "OUT"], ("--out", true), "--margin",
            [("--data", InputKind.Data, []), ("--network", InputKind.Network, [])],
            _ => ["correspond", "--quick", "--threads", "1", "--out", "OUT"]),
        new("sweep", _ => ["sweep", "--quick", "--axis", "K=0.3", "--out", "OUT"], ("--out", true), "--margin",
            [("--data", InputKind.Data, []), ("--network", InputKind.Network, []), ("--grid-file", InputKind.Json, [])],
            _ => ["sweep", "--quick", "--axis", "K=0.3,0.5", "--threads", "1", "--out", "OUT"]),
        new("eval", i => ["eval", "--network", i.Network, "--data", i.Spins, "--out", "OUT"], ("--out", false), "--threads",
            [("--network", InputKind.Network, []), ("--data", InputKind.Data, []), ("--targets", InputKind.Data, [])],
            i => ["eval", "--network", i.WideNetwork, "--data", i.WideData, "--threads", "1", "--out", "OUT"]),
        new("probe", i => ["probe", "--network", i.Network, "--data", i.Spins, "--replicates", "5", "--out", "OUT"], ("--out", true), "--replicates",
            [("--network", InputKind.Network, []), ("--data", InputKind.Data, [])],
            i => ["probe", "--network", i.Network, "--data", i.Spins, "--replicates", "1000000", "--threads", "1", "--out", "OUT"]),
        new("export", i => ["export", "--network", i.Network, "--to", "OUT"], ("--to", false), "",
            [("--network", InputKind.Network, [])],
            i => ["export", "--network", i.HugeNetwork, "--to", "OUT"]),
        new("bench conv", _ => ["bench", "conv", "--seconds", "0.1", "--threads", "1"], null, "--seconds", [],
            _ => ["bench", "conv", "--seconds", "5", "--threads", "1"]),
        new("bench fit", _ => ["bench", "fit", "--N", "8", "--samples", "100", "--replicates", "2"], null, "--samples", [],
            _ => ["bench", "fit", "--samples", "1000000", "--replicates", "1000"]),
        new("bench mlp", _ => ["bench", "mlp", "--seconds", "0.1", "--workload", "small", "--threads", "1"], null, "--seconds", [],
            _ => ["bench", "mlp", "--seconds", "5", "--workload", "small", "--threads", "1"]),
        new("bench probe", _ => ["bench", "probe", "--workload", "small", "--samples", "200", "--replicates", "2", "--threads", "1", "--rounds", "1"], null, "--samples", [],
            _ => ["bench", "probe", "--workload", "medium", "--samples", "20000", "--threads", "1"]),
        new("bench rg", _ => ["bench", "rg", "--repeats", "1"], null, "--K", [],
            _ => ["bench", "rg", "--model", "phi4", "--grid", "1025", "--repeats", "100"]),
        new("bench sample", _ => ["bench", "sample", "--N", "16", "--seconds", "0.1", "--threads", "1"], null, "--seconds", [],
            _ => ["bench", "sample", "--seconds", "5", "--threads", "1"]),
    ];

    /// <summary>The output path a case writes to inside <paramref name="folder"/>.</summary>
    private static string OutputIn(Case c, string folder) => c.Path switch
    {
        "sample" => Path.Combine(folder, "s.npy"),
        "eval" => Path.Combine(folder, "y.npy"),
        "export" => Path.Combine(folder, "n.onnx"),
        _ => Path.Combine(folder, "run"),
    };

    private static string[] With(string[] args, string output) => args.Select(a => a == "OUT" ? output : a).ToArray();

    /// <summary>Replaces (or adds) the value of <paramref name="option"/>.</summary>
    private static string[] Set(string[] args, string option, string value)
    {
        int at = Array.IndexOf(args, option);
        if (at < 0) return [.. args, option, value];
        var copy = (string[])args.Clone();
        copy[at + 1] = value;
        return copy;
    }

    /// <summary>Every command that runs (a leaf of the tree: <c>bench</c> itself only lists its subcommands), as typed.</summary>
    private static IEnumerable<string> CommandPaths()
    {
        static IEnumerable<string> Walk(Command c, string prefix)
        {
            string path = prefix.Length == 0 ? c.Name : $"{prefix} {c.Name}";
            if (c.Subcommands.Count == 0) yield return path;
            foreach (var s in c.Subcommands)
                foreach (var p in Walk(s, path)) yield return p;
        }
        foreach (var c in CliApp.Commands)
            foreach (var p in Walk(c.Build(() => throw new InvalidOperationException("not run")), "")) yield return p;
    }

    private static Command Find(string path)
    {
        string[] parts = path.Split(' ');
        var c = CliApp.Commands.Select(x => x.Build(() => throw new InvalidOperationException())).Single(x => x.Name == parts[0]);
        foreach (string p in parts.Skip(1)) c = c.Subcommands.Single(s => s.Name == p);
        return c;
    }

    private static bool IsNumeric(Option o) => o.GetType().GetGenericArguments() is [var t]
        && (Nullable.GetUnderlyingType(t) ?? t) is var u && (u == typeof(double) || u == typeof(float) || u == typeof(int) || u == typeof(long));

    [Fact]
    public void EveryCommandHasARowAndEveryRowNamesRealOptions()
    {
        Assert.Equal(CommandPaths().Order(), Table.Select(c => c.Path).Order());
        foreach (var c in Table)
        {
            var command = Find(c.Path);
            var options = command.Options.Select(o => o.Name).ToHashSet();
            // A command with numeric options names one; one without names none (export).
            Assert.True(c.Number.Length > 0 == command.Options.Any(IsNumeric), $"{c.Path}: numeric option '{c.Number}'");
            if (c.Number.Length > 0) Assert.Contains(c.Number, options);
            if (c.Output is { } o) Assert.Contains(o.Option, options);
            foreach (var (option, _, _) in c.Inputs) Assert.Contains(option, options);
            // Every option that names a file the command reads is in the table.
            var fileOptions = command.Options.Where(x => x.Name is "--data" or "--targets" or "--network" or "--init-from" or "--grid-file").Select(x => x.Name);
            Assert.All(fileOptions, f => Assert.Contains(f, c.Inputs.Select(i => i.Option)));
        }
    }

    [Fact]
    public void UnwritableOutputsAreOneLineAndExitTwo()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(Table.Where(c => c.Output is not null), new ParallelOptions { MaxDegreeOfParallelism = 4 }, c =>
        {
            bool folder = c.Output!.Value.Folder;
            string leaf = Path.GetFileName(OutputIn(c, inputs.Dir.Path));
            foreach (var (what, place, culprit) in new[]
            {
                ("under /proc", "/proc", "/proc"),
                ("through a file", Path.Combine(inputs.AFile, "below"), inputs.AFile),
                ("on a read-only file system", inputs.ReadOnly.Path, inputs.ReadOnly.Path),
            })
            {
                string target = Path.Combine(place, leaf);
                var r = CliRunner.Run(With(c.Valid(inputs), target));
                try
                {
                    CliRunner.AssertOneLineError(r.ExitCode, r.Error, null, $"{c.Path} --out {what}");
                    Assert.Contains(culprit, r.Error);
                    Assert.False(File.Exists(target) || Directory.Exists(target), $"{c.Path} {what}: {target} exists");
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{c.Path} ({(folder ? "folder" : "file")} {what}): {e.Message}");
                }
            }
        });
        Assert.True(failures.IsEmpty, failures.Count + " failures:\n" + string.Join("\n", failures.Order()));
    }

    [Fact]
    public void MalformedAndOverflowingNumbersAreOneLineAndExitTwo()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(Table.Where(c => c.Number.Length > 0), new ParallelOptions { MaxDegreeOfParallelism = 4 }, c =>
        {
            // Reals: separators, non-finite and overflowing (1e400 reads as Infinity); integers also beyond 64 bits and with a fraction.
            bool integer = Find(c.Path).Options.Single(o => o.Name == c.Number).GetType().GetGenericArguments()[0] is var t
                && (Nullable.GetUnderlyingType(t) ?? t) is var u && (u == typeof(int) || u == typeof(long));
            string[] bads = integer ? ["1,5", "NaN", "Infinity", "1e400", "99999999999999999999", "0x10", "1_000", "1.5"]
                : ["1,5", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "0x10", "1_000"];
            foreach (string bad in bads)
            {
                using var dir = new TempDirectory();
                string[] valid = With(c.Valid(inputs), OutputIn(c, dir.Path));
                var r = CliRunner.Run(Set(valid, c.Number, bad));
                try
                {
                    CliRunner.AssertOneLineError(r.ExitCode, r.Error, null, $"{c.Path} {c.Number} {bad}");
                    Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{c.Path} {c.Number} {bad}: {e.Message}");
                }
            }
        });
        Assert.True(failures.IsEmpty, failures.Count + " failures:\n" + string.Join("\n", failures.Order()));
    }

    [Fact]
    public void HostileInputFilesAreOneLineAndExitTwo()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(Table.SelectMany(c => c.Inputs.Select(i => (c, i))), new ParallelOptions { MaxDegreeOfParallelism = 4 }, item =>
        {
            var (c, (option, kind, extra)) = item;
            using var dir = new TempDirectory();
            string[] valid = [.. With(c.Valid(inputs), OutputIn(c, dir.Path)), .. extra];
            foreach (var (what, file) in kind switch { InputKind.Data => inputs.HostileData, InputKind.Network => inputs.HostileNetworks, _ => inputs.HostileJson })
            {
                var clock = Stopwatch.StartNew();
                var r = CliRunner.Run(Set(valid, option, file));
                try
                {
                    CliRunner.AssertOneLineError(r.ExitCode, r.Error, null, $"{c.Path} {option} {what}");
                    Assert.Contains(Path.GetFileName(file.Split(':')[0]), r.Error);
                    Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:F1} s");
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Add($"{c.Path} {option} {what}: {e.Message}");
                }
            }
        });
        Assert.True(failures.IsEmpty, failures.Count + " failures:\n" + string.Join("\n", failures.Order()));
    }

    [Fact]
    public void SigtermAtARandomPointEndsWith130NoVisibleOutputAndBoundedMemory()
    {
        var random = new Random(20261202);
        // Seeded delays after Main has installed the handlers (reading, computing or writing), inside every long run.
        var plan = Table.Select(c => (Case: c, Delay: TimeSpan.FromMilliseconds(random.Next(0, 1500)))).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(plan, new ParallelOptions { MaxDegreeOfParallelism = 3 }, item =>
        {
            var (c, delay) = item;
            using var dir = new TempDirectory();
            string output = OutputIn(c, dir.Path);
            var r = CliRunner.RunProcess(With(c.Long(inputs), output), delay, TimeSpan.FromSeconds(90), afterMain: true);
            lock (log) log.WriteLine($"{c.Path,-12} SIGTERM after {delay.TotalMilliseconds,5:F0} ms: exit {r.ExitCode} after {r.Elapsed.TotalSeconds:F1} s, peak {r.PeakKb} kB");
            try
            {
                Assert.True(r.ExitCode == 130, $"exit {r.ExitCode}; stderr: {r.Error}");
                Assert.Contains("interrupted", r.Error);
                Assert.DoesNotContain("   at ", r.Error);
                // Nothing visible: no new non-hidden file anywhere below the output location, except resumable state.
                var visible = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(dir.Path, f))
                    .Where(f => !f.Split('/').Any(part => part.StartsWith('.') || ResumableState.Contains(part)))
                    .ToArray();
                Assert.True(visible.Length == 0, "visible after the signal: " + string.Join(", ", visible));
                Assert.True(r.PeakKb is not null, "no peak memory reported");
                Assert.True(r.PeakKb < PeakLimitKb, $"peak {r.PeakKb} kB");
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                failures.Add($"{c.Path} (SIGTERM after {delay.TotalMilliseconds:F0} ms): {e.Message}");
            }
        });
        Assert.True(failures.IsEmpty, failures.Count + " failures:\n" + string.Join("\n", failures.Order()));
    }

    /// <summary>The shared input files: valid ones and hostile ones, plus a read-only file system.</summary>
    public sealed class Inputs : IDisposable
    {
        public Inputs()
        {
            Dir = new TempDirectory();
            ReadOnly = new SmallDisk("ro,size=64k");
            Spins = Dir.File("spins.npy");
            Npy.WriteMatrix(Spins, NnTestData.Spins(400, 16, 1).Convert<sbyte>());
            Network = Dir.File("net.npz");
            NnTestData.RandomNetwork(NetworkSpec.Autoencoder([16, 8]), seed: 3).Save(Network);
            // A wide network and matching data for runs that must last seconds (eval, export).
            WideNetwork = Dir.File("wide.npz");
            NnTestData.RandomNetwork(NetworkSpec.Autoencoder([256, 2048]), seed: 4).Save(WideNetwork);
            HugeNetwork = Dir.File("huge.npz");
            NnTestData.RandomNetwork(NetworkSpec.Autoencoder([2048, 8192]), seed: 5).Save(HugeNetwork);
            WideData = Dir.File("wide.npy");
            Npy.WriteMatrix(WideData, NnTestData.Spins(40000, 256, 2).Convert<sbyte>());
            AFile = Dir.File("a-file");
            File.WriteAllText(AFile, "not a folder");

            string truncated = Dir.File("truncated.npy");
            var whole = File.ReadAllBytes(Spins);
            File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);
            string lying = Dir.File("lying.npy");
            using (var f = File.Create(lying))
            {
                f.Write(NpyHeader.Encode(NpyDType.Int8, [100000, 100000]));
                f.Write(new byte[64]);
            }
            string fifo = Dir.File("fifo.npy");
            using (var p = Process.Start("mkfifo", [fifo])!) p.WaitForExit();
            string crcData = Dir.File("data.npz");
            WriteStoredNpz(crcData, "x", whole, corrupt: true);
            string netBytes = Dir.File("net-crc.npz");
            var net = File.ReadAllBytes(Network);
            // A stored zip: flip one byte in the middle of the weights; the CRC-32 no longer matches.
            net[net.Length / 2] ^= 0x5A;
            File.WriteAllBytes(netBytes, net);
            string netTruncated = Dir.File("net-truncated.npz");
            File.WriteAllBytes(netTruncated, File.ReadAllBytes(Network)[..(net.Length / 2)]);
            string netFifo = Dir.File("net-fifo.npz");
            using (var p = Process.Start("mkfifo", [netFifo])!) p.WaitForExit();
            HostileData = [("truncated", truncated), ("lying header", lying), ("FIFO", fifo), ("NPZ with a CRC error", crcData + ":x")];
            HostileNetworks = [("truncated", netTruncated), ("CRC error", netBytes), ("FIFO", netFifo), ("not a zip", truncated.Replace(".npy", ".npz"))];
            File.WriteAllBytes(truncated.Replace(".npy", ".npz"), whole[..100]);
            string jsonTruncated = Dir.File("grid-truncated.json"), jsonBinary = Dir.File("grid-binary.json"), jsonFifo = Dir.File("grid-fifo.json");
            File.WriteAllText(jsonTruncated, "{\"axes\": {\"K\": [0.3, ");
            File.WriteAllBytes(jsonBinary, whole);
            using (var p = Process.Start("mkfifo", [jsonFifo])!) p.WaitForExit();
            HostileJson = [("truncated", jsonTruncated), ("binary", jsonBinary), ("FIFO", jsonFifo)];
        }

        internal TempDirectory Dir { get; }
        internal SmallDisk ReadOnly { get; }
        public string Spins { get; }
        public string Network { get; }
        public string WideNetwork { get; }
        public string WideData { get; }
        public string HugeNetwork { get; }
        public string AFile { get; }
        public (string What, string Path)[] HostileData { get; }
        public (string What, string Path)[] HostileNetworks { get; }
        public (string What, string Path)[] HostileJson { get; }

        /// <summary>An NPZ with one stored member; <paramref name="corrupt"/> flips a data byte after the CRC was computed.</summary>
        private static void WriteStoredNpz(string path, string name, byte[] npy, bool corrupt)
        {
            using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            {
                var e = zip.CreateEntry(name + ".npy", System.IO.Compression.CompressionLevel.NoCompression);
                using var s = e.Open();
                s.Write(npy);
            }
            if (!corrupt) return;
            var bytes = File.ReadAllBytes(path);
            int at = bytes.AsSpan().IndexOf(npy.AsSpan(0, 16)) + npy.Length - 8;
            bytes[at] ^= 0x5A;
            File.WriteAllBytes(path, bytes);
        }

        public void Dispose()
        {
            ReadOnly.Dispose();
            Dir.Dispose();
        }
    }
}
