using System.Diagnostics;
using System.Reflection;
using RgLens.Cli;

namespace RgLens.Tests.Cli;

/// <summary>
/// The install path researchers use: the CLI packed as a .NET tool, installed into a tool path
/// and run as <c>rglens</c>. Packs with <c>--no-build</c> (the build output the tests run on),
/// and sends every file it makes to a temp folder: the package, the publish step behind it, the
/// NuGet caches and the .NET home of the install.
/// </summary>
public class ToolPackageTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RgLens.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no RgLens.slnx above {AppContext.BaseDirectory}");
    }

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string> environment, int timeoutSeconds)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// The publish step behind a tool package lists its outputs in obj/…/PublishOutputs.HASH.txt
    /// (one file per publish folder); those that name this test's temp folder go with it.
    /// </summary>
    private static void DeletePublishListsNaming(string obj, string tempFolder)
    {
        if (!Directory.Exists(obj)) return;
        foreach (string list in Directory.EnumerateFiles(obj, "PublishOutputs.*.txt", SearchOption.AllDirectories))
            if (File.ReadLines(list).Any(line => line.StartsWith(tempFolder, StringComparison.Ordinal)))
                File.Delete(list);
    }

    [Fact]
    public void PackedToolInstallsAndRuns()
    {
        using var dir = new TempDirectory();
        string root = RepositoryRoot();
        string configuration = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string packages = dir.File("pkgs"), tools = dir.File("tools"), output = dir.File("out");
        var env = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = dir.File("home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };

        var pack = Run("dotnet", ["pack", Path.Combine(root, "src", "RgLens.Cli"), "-c", configuration, "--no-build", "-o", packages,
            $"-p:PublishDir={dir.File("publish")}/", $"-p:NuspecOutputPath={dir.File("nuspec")}/"], root, env, 300);
        DeletePublishListsNaming(Path.Combine(root, "src", "RgLens.Cli", "obj"), dir.Path);
        Assert.True(pack.Code == 0, pack.Output);
        Assert.Single(Directory.GetFiles(packages, "RgLens.Cli.*.nupkg"));

        // Only the temp source, and NuGet's caches in the temp folder.
        string config = dir.File("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{packages}" /></packageSources>
            </configuration>
            """);
        env["NUGET_PACKAGES"] = dir.File("nuget-packages");
        env["NUGET_HTTP_CACHE_PATH"] = dir.File("nuget-http");
        var install = Run("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "RgLens.Cli"], dir.Path, env, 300);
        Assert.True(install.Code == 0, install.Output);

        string rglens = Path.Combine(tools, "rglens");
        var version = Run(rglens, ["--version"], dir.Path, env, 60);
        Assert.True(version.Code == 0, version.Output);
        Assert.StartsWith(typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0], version.Output.Trim());

        var correspond = Run(rglens, ["correspond", "--quick", "--out", output], dir.Path, env, 300);
        Assert.True(correspond.Code == 0, correspond.Output);
        Assert.True(File.Exists(Path.Combine(output, "run.json")), correspond.Output);
        Assert.True(File.Exists(Path.Combine(output, "report.html")), correspond.Output);
    }
}
