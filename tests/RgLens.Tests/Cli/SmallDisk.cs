using System.Diagnostics;

namespace RgLens.Tests.Cli;

/// <summary>
/// A real small file system for the tests of full and read-only disks: a tmpfs of the given size
/// mounted on a fresh folder, unmounted on dispose. Mounting needs root (CAP_SYS_ADMIN), which CI
/// has; where it is refused the test fails with the reason: it is never skipped.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    public SmallDisk(string options)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rglens-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        var (code, error) = Exec("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path);
        if (code != 0)
        {
            Directory.Delete(Path);
            throw new Xunit.Sdk.XunitException($"cannot mount a tmpfs ({options}) at {Path}: {error.Trim()} (exit {code}). These tests need root or CAP_SYS_ADMIN; CI runs them as root.");
        }
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Free bytes (statvfs).</summary>
    public long Free => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Fills the disk with a visible file until <paramref name="free"/> bytes (a multiple of 4096) are left.</summary>
    public void LeaveFree(long free)
    {
        long fill = Free - free;
        Assert.True(fill >= 0, $"only {Free} bytes free, {free} asked");
        using var f = new FileStream(File("filler.bin"), FileMode.Create);
        f.Write(new byte[fill]);
        f.Flush(true);
        Assert.Equal(free, Free);
    }

    public void Dispose()
    {
        Exec("umount", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    private static (int Code, string Error) Exec(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
