using System.Runtime.InteropServices;

namespace RgLens.IO;

/// <summary>
/// What kind of file a path names, on Linux: a FIFO, a character device or a socket cannot be
/// read as data (opening a FIFO without a writer blocks forever, beyond the reach of a signal
/// handler; /dev/zero never ends), so inputs are refused unless they are regular files. Written
/// by hand because .NET reports every such file as "Normal": one stat(2) call, whose st_mode sits
/// at byte 24 of struct stat on linux-x64 and linux-arm64 (glibc).
/// </summary>
public static class FileKind
{
    private const uint TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000, Fifo = 0x1000, CharDevice = 0x2000, BlockDevice = 0x6000, Socket = 0xC000;

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat(string path, byte[] buffer);

    /// <summary>Why <paramref name="path"/> cannot be read as data, or null when it can (or the check does not apply here).</summary>
    public static string? NotReadableAsData(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return null;
        var buffer = new byte[256];
        try
        {
            if (Stat(path, buffer) != 0) return null; // missing or unreadable: the caller's own checks say so
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        uint mode = BitConverter.ToUInt32(buffer, 24) & TypeMask;
        return mode switch
        {
            Regular or Directory => null,
            Fifo => "a named pipe (FIFO), not a file; write the data to a file first",
            CharDevice or BlockDevice => "a device, not a data file",
            Socket => "a socket, not a data file",
            _ => null,
        };
    }
}
