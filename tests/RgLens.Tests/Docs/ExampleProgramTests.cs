using System.Diagnostics;
using RgLens.Tests.Architecture;

namespace RgLens.Tests.Docs;

/// <summary>examples/Quickstart uses the library the way a C# user would; it must build and run.</summary>
public class ExampleProgramTests
{
    [Fact]
    public void TheQuickstartExampleSamplesRunsTheRgTrainsAndReadsTheLayers()
    {
        string root = NamespaceLayeringTests.RepositoryRoot();
        string project = Path.Combine(root, "examples", "Quickstart");
        string dll = Path.Combine(project, "bin", "Release", "net10.0", "linux-x64", "Quickstart.dll");
        if (!File.Exists(dll)) Assert.Equal(0, Run("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"], root).Code);
        var (code, output) = Run("dotnet", [dll], root);
        Assert.True(code == 0, output);
        Assert.Contains("RG step 1: ising(K=0.46499, h=0.383962)", output);
        Assert.Contains("fixed point: K* = 0, h* = 0.8794", output);
        Assert.Contains("layer 3 (4 units): K = ", output);
    }

    private static (int Code, string Output) Run(string file, string[] args, string folder)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
