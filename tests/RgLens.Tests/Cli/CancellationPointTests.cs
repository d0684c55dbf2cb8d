using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.IO;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Nn;

namespace RgLens.Tests.Cli;

/// <summary>
/// The files the tests share: the autoencoder of <c>bench probe</c>'s large workload
/// (1024-1024-512, decoder mirrored, 3.1 million multiply-adds per sample) as RgLens NPZ and as
/// ONNX, and 40,000 samples of ±1 inputs (int8 NPY), a forward pass of several seconds on one thread.
/// </summary>
public sealed class WideNetworkFiles : IDisposable
{
    public const int Samples = 40_000;

    private readonly TempDirectory _dir = new();

    public WideNetworkFiles()
    {
        Network = Network.Create(NetworkSpec.Autoencoder([1024, 1024, 512], Activation.Tanh, Activation.Identity), 1);
        Npz = _dir.File("wide.npz");
        Onnx = _dir.File("wide.onnx");
        Data = _dir.File("inputs.npy");
        Network.Save(Npz);
        OnnxExport.Save(Network, Onnx);
        var x = new SampleMatrix<sbyte>(Samples, 1024);
        var random = new Random(7);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = random.Next(2) == 0 ? (sbyte)-1 : (sbyte)1;
        SampleFiles.Save(Data, x);
    }

    public Network Network { get; }

    public string Npz { get; }

    public string Onnx { get; }

    public string Data { get; }

    /// <summary>The first <paramref name="rows"/> inputs as floats.</summary>
    public SampleMatrix<float> Inputs(int rows)
    {
        var all = SampleFiles.Load<float>(Data);
        return all.SelectRows(Enumerable.Range(0, rows).ToArray());
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// SIGTERM inside the places that had no cancellation point (docs/reliability.md, "Signals"): ONNX
/// Runtime's forward pass (<c>eval</c>, <c>probe</c>), the engine's forward pass (<c>eval</c> of an
/// NPZ network), a fit's point estimate, and the bootstrap of <c>bench fit</c> (which sets no token of
/// its own). Each run is signalled once it has read its inputs and
/// is inside that computation, which would last seconds more; it must end with 130, the one line,
/// no output, and within <see cref="Response"/> of the signal, where the watchdog that used to end
/// these runs answers only after <see cref="CliApp.SignalGracePeriod"/> (3 s).
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class CancellationPointTests(WideNetworkFiles files) : IClassFixture<WideNetworkFiles>
{
    /// <summary>
    /// How soon after SIGTERM the run must have ended: half the watchdog's 3 s, so a run that
    /// reaches no cancellation point cannot pass, while a check every ~0.1 s of work, the process's
    /// exit and a loaded 2-core machine fit about ten times over (0.03–0.17 s measured there).
    /// </summary>
    private static readonly TimeSpan Response = TimeSpan.FromSeconds(1.5);

    /// <summary>How long the signal waits after the data are read: past the set-up, early in the computation.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long the signal waits after ONNX Runtime's library is loaded: past the session's
    /// creation (about 0.4 s for this model here, and not interruptible), inside the forward pass
    /// (about 3.5 s here for these samples on one thread).
    /// </summary>
    private static readonly TimeSpan SettleOnnx = TimeSpan.FromMilliseconds(700);

    [Fact]
    public void EvalOfAnOnnxNetworkStopsInsideOnnxRuntime()
    {
        using var dir = new TempDirectory();
        string output = dir.File("outputs.npy");
        InterruptInside(["eval", "--network", files.Onnx, "--data", files.Data, "--out", output, "--threads", "1"], OnnxRuntimeLoaded, SettleOnnx, dir);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ProbeOfAnOnnxNetworkStopsInsideOnnxRuntime()
    {
        using var dir = new TempDirectory();
        string report = dir.File("report");
        InterruptInside(["probe", "--network", files.Onnx, "--data", files.Data, "--out", report, "--threads", "1", "--replicates", "0"], OnnxRuntimeLoaded, SettleOnnx, dir);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void EvalOfAnNpzNetworkStopsInsideTheEnginesForwardPass()
    {
        using var dir = new TempDirectory();
        string output = dir.File("outputs.npy");
        long inputs = new FileInfo(files.Data).Length + new FileInfo(files.Npz).Length;
        InterruptInside(["eval", "--network", files.Npz, "--data", files.Data, "--out", output, "--threads", "1"], p => BytesRead(p) >= inputs, Settle, dir);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AFitStopsInsideItsPointEstimate()
    {
        // φ⁴ pseudo-likelihood on 20,000 × 64 values: Newton iterations over every site's
        // quadrature, about 4.5 s on the development machine before any bootstrap (there is none).
        using var dir = new TempDirectory();
        string data = dir.File("phi4.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "phi4", "--N", "64", "--samples", "20000", "--out", data).ExitCode);
        long inputs = new FileInfo(data).Length;
        InterruptInside(["fit", "--model", "phi4", "--data", data, "--method", "pseudo", "--replicates", "0"], p => BytesRead(p) >= inputs, Settle, dir);
    }

    [Fact]
    public void AFitStopsWhileReadingItsData()
    {
        // 1,000,000 × 64 int8 spins: read, checked and widened chunk by chunk, about 2.5 s here.
        // The signal comes once a tenth of the file is read.
        using var dir = new TempDirectory();
        string data = dir.File("spins.npy");
        const int rows = 1_000_000, cols = 64;
        using (var f = File.Create(data))
        {
            f.Write(NpyHeader.Encode(NpyDType.Int8, [rows, cols]));
            var chunk = new byte[1 << 20];
            var random = new Random(5);
            for (long done = 0; done < (long)rows * cols; done += chunk.Length)
            {
                for (int i = 0; i < chunk.Length; i++) chunk[i] = random.Next(2) == 0 ? (byte)1 : unchecked((byte)-1);
                f.Write(chunk, 0, (int)Math.Min(chunk.Length, (long)rows * cols - done));
            }
        }
        long tenth = new FileInfo(data).Length / 10;
        InterruptInside(["fit", "--model", "ising", "--data", data, "--method", "pseudo", "--replicates", "0"], p => BytesRead(p) >= tenth, TimeSpan.Zero, dir);
    }

    [Fact]
    public void ACancelledTokenStopsSavingAnOnnxFileAndLeavesNothing()
    {
        using var dir = new TempDirectory();
        string onnx = dir.File("cancelled.onnx");
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            using var scope = RunCancellation.Use(cancelled.Token);
            Assert.ThrowsAny<OperationCanceledException>(() => OnnxExport.Save(files.Network, onnx));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        // Written in pieces, never gathered into one array: the same bytes as ToBytes.
        Assert.Equal(new FileInfo(files.Onnx).Length, OnnxExport.Save(files.Network, onnx));
        Assert.Equal(OnnxExport.ToBytes(files.Network), File.ReadAllBytes(onnx));
    }

    [Fact]
    public void BenchFitStopsInsideItsBootstrapAsOneCancellation()
    {
        // bench fit sets no token of its own on the fit: its replicates stop through the run's, and
        // the several that stop at once must end the run as interrupted, not as an internal error.
        using var dir = new TempDirectory();
        string handlers = dir.File("handlers");
        InterruptInside(["bench", "fit", "--samples", "1000000", "--replicates", "2000"], _ => File.Exists(handlers), TimeSpan.FromSeconds(1.5), dir,
            new Dictionary<string, string> { [RgLens.Cli.Program.PeakMemoryVariable] = handlers });
    }

    [Fact]
    public void BootstrapReplicatesStoppedByTheRunsTokenEndAsOneCancellation()
    {
        using var run = new CancellationTokenSource();
        using var caller = new CancellationTokenSource();
        run.Cancel();
        using var scope = RunCancellation.Use(run.Token);
        var e = Assert.ThrowsAny<OperationCanceledException>(() => Bootstrap.ReplicateCounts(100, counts =>
        {
            RunCancellation.ThrowIfRequested();
            return [counts[0]];
        }, replicates: 64, seed: 1, threads: 4, cancellation: caller.Token));
        Assert.Equal(run.Token, e.CancellationToken);
    }

    [Fact]
    public void ACancelledTokenStopsTheEnginesForwardPass()
    {
        var x = files.Inputs(600);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var scope = RunCancellation.Use(cancelled.Token);
        foreach (int threads in new[] { 1, 3 })
        {
            Assert.ThrowsAny<OperationCanceledException>(() => files.Network.Forward(x, threads));
            Assert.ThrowsAny<OperationCanceledException>(() => files.Network.Observe(x, threads));
        }
    }

    [Fact]
    public void ACancelledTokenStopsOnnxNetworkSourceRun()
    {
        var x = files.Inputs(600);
        using var source = new OnnxNetworkSource(files.Onnx, layers: [], threads: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var scope = RunCancellation.Use(cancelled.Token);
        Assert.ThrowsAny<OperationCanceledException>(() => source.Run(x));
    }

    [Fact]
    public void CancellingWhileOnnxRuntimeRunsAChunkTerminatesIt()
    {
        // 4096 rows are one call to ONNX Runtime (0.3–0.6 s on one thread here): once it has begun,
        // only the terminate flag can stop it, and the call then fails with OnnxRuntimeException,
        // which Run turns into the cancellation. The token is cancelled from a thread of its own
        // after a few delays in turn, so that one of them lands inside the call on any machine;
        // a call stopped before it began (the check between chunks) proves nothing here.
        var x = files.Inputs(4096);
        using var source = new OnnxNetworkSource(files.Onnx, layers: [], threads: 1);
        var expected = source.Run(x).Output.Values; // also the warm-up
        var outcomes = new List<string>();
        foreach (int delay in new[] { 30, 60, 120, 240 })
        {
            using var cancellation = new CancellationTokenSource();
            using var scope = RunCancellation.Use(cancellation.Token);
            var canceller = new Thread(() =>
            {
                Thread.Sleep(delay);
                cancellation.Cancel();
            });
            canceller.Start();
            bool terminated = false;
            try
            {
                source.Run(x);
                outcomes.Add($"{delay} ms: finished first");
            }
            catch (OperationCanceledException e)
            {
                Assert.Equal(cancellation.Token, e.CancellationToken);
                terminated = e.InnerException is OnnxRuntimeException;
                if (!terminated) Assert.Null(e.InnerException);
                outcomes.Add($"{delay} ms: stopped {(terminated ? "inside" : "before")} the call");
            }
            finally
            {
                canceller.Join();
            }
            // The session still runs after a stopped call, with the same result.
            using (RunCancellation.Use(CancellationToken.None))
                Assert.Equal(expected.Data, source.Run(x).Output.Values.Data);
            if (terminated) return;
        }
        Assert.Fail("no cancellation stopped a running call: " + string.Join("; ", outcomes));
    }

    [Fact]
    public void ACancelledTokenStopsTheOnnxExport()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using (RunCancellation.Use(cancelled.Token))
            Assert.ThrowsAny<OperationCanceledException>(() => OnnxExport.ToBytes(files.Network));
        // Per-layer writers give the bytes of one writer for the whole graph: the export reads back as the same network.
        using var dir = new TempDirectory();
        string onnx = dir.File("again.onnx");
        File.WriteAllBytes(onnx, OnnxExport.ToBytes(files.Network));
        Assert.Equal(File.ReadAllBytes(files.Onnx), File.ReadAllBytes(onnx));
    }

    [Fact]
    public void ACancelledTokenStopsAFitsPointEstimate()
    {
        var data = new SampleMatrix<double>(200, 16);
        var random = new Random(3);
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = random.NextDouble() * 4 - 2;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var scope = RunCancellation.Use(cancelled.Token);
        // No bootstrap (its own token is not set): only the point estimate can look.
        var options = new FitOptions { Replicates = 0 };
        foreach (var method in new[] { EstimationMethod.PseudoLikelihood, EstimationMethod.MaximumLikelihood })
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                ChainEstimator.Fit(ChainFamilies.Find("phi4"), data, Boundary.Periodic, method, options));
            var spins = new SampleMatrix<double>(200, 16);
            for (int i = 0; i < spins.Data.Length; i++) spins.Data[i] = random.Next(2) == 0 ? -1 : 1;
            Assert.ThrowsAny<OperationCanceledException>(() =>
                ChainEstimator.Fit(ChainFamilies.Find("ising"), spins, Boundary.Periodic, method, options));
        }
    }

    [Fact]
    public void RowsGiveTheSameBitsWhateverBlockOfTheForwardPassTheyAreIn()
    {
        // 1024 × 1024 layers: blocks of 1024 rows, so 2100 rows are three blocks (the last a part).
        var network = Network.Create(NetworkSpec.Autoencoder([1024, 1024], Activation.Tanh, Activation.Identity), 2);
        var x = files.Inputs(2100);
        var all = network.Forward(x, threads: 2);
        var observed = network.Observe(x, threads: 1);
        Assert.Equal(all.Data, observed.Output.Data);
        foreach (int row in new[] { 0, 1023, 1024, 2047, 2048, 2099 })
        {
            var alone = network.Forward(x.SelectRows([row]));
            Assert.Equal(alone.Data, all.Row(row).ToArray());
        }
    }

    /// <summary>
    /// Starts <c>rglens args</c>, waits until <paramref name="inside"/> says it has read its inputs,
    /// then <paramref name="settle"/>, sends SIGTERM and checks how the run ended.
    /// </summary>
    private static void InterruptInside(string[] args, Func<Process, bool> inside, TimeSpan settle, TempDirectory dir,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var p = CliRunner.Start(args, environment);
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!inside(p) && !p.HasExited)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the run never reached the computation");
            Thread.Sleep(5);
        }
        Thread.Sleep(settle);
        if (p.HasExited) Assert.Fail($"the run ended before the signal (exit {p.ExitCode}): {error.Result}");
        var took = CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(10));
        Assert.True(took < Response, $"ended {took.TotalSeconds:F2} s after SIGTERM; a cancellation point answers within {Response.TotalSeconds} s");
        Assert.Equal($"rglens: {Interruption.Message}.", error.Result.TrimEnd('\n', '\r'));
        Assert.Equal("", output.Result);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.partial", SearchOption.AllDirectories));
    }

    /// <summary>ONNX Runtime's native library is mapped: the inputs are read and the session is being made.</summary>
    private static bool OnnxRuntimeLoaded(Process p)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/maps").Contains("libonnxruntime", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Bytes the process has read through read(2) so far (rchar in /proc/PID/io).</summary>
    private static long BytesRead(Process p)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{p.Id}/io"))
                if (line.StartsWith("rchar:", StringComparison.Ordinal)) return long.Parse(line["rchar:".Length..].Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process is gone
        }
        return 0;
    }
}
