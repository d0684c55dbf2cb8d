using System.Collections.Concurrent;

namespace RgLens.IO;

/// <summary>
/// A file written atomically (docs/reliability.md, "Output files"): the content goes to a hidden
/// temporary file beside the target, which replaces the target only on <see cref="Commit"/>.
/// Disposing without committing deletes the temporary file, as does a Ctrl+C or SIGTERM (through
/// <see cref="DeleteAllPending"/>), so a killed run never leaves a half-written result under the
/// target's name. Temporaries of processes that died by SIGKILL are removed the next time
/// anything is written to the same target. While an <see cref="OutputSet"/> is open, a committed
/// file becomes visible only when the whole set does. A write that fails (a full disk above all)
/// is one <see cref="RgLensException"/> line naming the target, never the temporary.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> s_pending = new();
    private readonly FileStream _stream;
    private readonly GuardedStream _guarded;
    private readonly bool _immediate;
    private bool _committed;

    private AtomicFile(string target, string temp, FileStream stream, bool immediate)
    {
        TargetPath = target;
        TempPath = temp;
        _stream = stream;
        _immediate = immediate;
        _guarded = new GuardedStream(stream, this);
    }

    /// <summary>The final path.</summary>
    public string TargetPath { get; }

    /// <summary>The hidden temporary path being written.</summary>
    public string TempPath { get; }

    /// <summary>The stream to write the content to (its I/O errors are one line naming the target).</summary>
    public Stream Stream => _guarded;

    /// <summary>Starts writing <paramref name="path"/>; fails with one clear line if its folder cannot be written.</summary>
    /// <param name="path">The target.</param>
    /// <param name="immediate">Visible at <see cref="Commit"/> even inside an <see cref="OutputSet"/>: for files that must
    /// survive an interrupted run (checkpoints, finished sweep cells, job scripts handed to a scheduler).</param>
    /// <exception cref="RgLensException">The folder does not exist or cannot be written.</exception>
    public static AtomicFile Create(string path, bool immediate = false)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new RgLensException($"cannot write '{path}': it names a folder, not a file.");
        if (!Directory.Exists(dir)) throw new RgLensException($"cannot write '{path}': folder '{dir}' does not exist.");
        if (Directory.Exists(full)) throw new RgLensException($"cannot write '{path}': a folder of that name exists.");
        RemoveStale(dir, name);
        string temp = Path.Combine(dir, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            s_pending[temp] = 0;
            return new AtomicFile(full, temp, fs, immediate);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RgLensException($"cannot write '{path}': {Reason(e, temp)}", e);
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool immediate = false)
    {
        using var f = Create(path, immediate);
        f.Stream.Write(bytes);
        f.Commit();
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text, bool immediate = false) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text), immediate);

    /// <summary>
    /// Flushes to disk, then moves the temporary file over the target, or, inside an
    /// <see cref="OutputSet"/>, stages it to be moved with the rest of the set.
    /// </summary>
    public void Commit()
    {
        if (_committed) return;
        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            if (!_immediate && OutputSet.Current is { IsOpen: true } set)
            {
                set.Stage(TempPath, TargetPath);
                _committed = true;
                return;
            }
            File.Move(TempPath, TargetPath, overwrite: true);
            _committed = true;
            s_pending.TryRemove(TempPath, out _);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Failure(e);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the disk (or the quota) is full: ENOSPC, EDQUOT, or Windows' ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.</summary>
    public static bool IsDiskFull(Exception e) =>
        e is IOException && e.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    /// <summary>One line for a failed write of this file, naming the target (the temporary means nothing to the user).</summary>
    private RgLensException Failure(Exception e) =>
        e as RgLensException ?? new RgLensException($"cannot write '{TargetPath}': {Reason(e, TempPath)}; nothing was kept.", e);

    private static string Reason(Exception e, string temp) =>
        IsDiskFull(e) ? "the disk is full (no space left on device)"
        : e is FileNotFoundException or DirectoryNotFoundException ? "its folder does not take new files"
        : e.Message.Replace($" : '{temp}'", "").Replace($"'{temp}'", "a temporary file").Replace(temp, "a temporary file").TrimEnd('.');

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed) return;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Flushing the rest failed (a full disk): the file is deleted anyway.
        }
        TryDelete(TempPath);
        s_pending.TryRemove(TempPath, out _);
    }

    /// <summary>A staged temporary was moved over its target (<see cref="OutputSet.Commit"/>).</summary>
    internal static void Forget(string temp) => s_pending.TryRemove(temp, out _);

    /// <summary>Deletes a staged temporary (<see cref="OutputSet"/> rolled back).</summary>
    internal static void DeleteTemporary(string temp)
    {
        TryDelete(temp);
        s_pending.TryRemove(temp, out _);
    }

    /// <summary>Deletes every temporary file not yet committed (called on Ctrl+C, SIGTERM and process exit).</summary>
    public static void DeleteAllPending()
    {
        OutputSet.AbandonAll();
        foreach (var temp in s_pending.Keys)
        {
            TryDelete(temp);
            s_pending.TryRemove(temp, out _);
        }
    }

    private static void RemoveStale(string dir, string name)
    {
        string prefix = $".{name}.";
        try
        {
            foreach (var f in Directory.EnumerateFiles(dir, $".{name}.*.partial"))
            {
                string middle = Path.GetFileName(f)[prefix.Length..];
                int dot = middle.IndexOf('.');
                if (dot > 0 && int.TryParse(middle[..dot], out int pid) && !ProcessAlive(pid)) TryDelete(f);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Stale temporaries are only tidied when possible; the write itself reports real errors.
        }
    }

    private static bool ProcessAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { }
    }

    /// <summary>The temporary file's stream, with every I/O error turned into one line naming the target.</summary>
    private sealed class GuardedStream(FileStream inner, AtomicFile owner) : Stream
    {
        // Readable as well: writers that patch what they wrote (PureHDF's HDF5) read it back.
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => Guard(() => inner.Position = value);
        }

        public override void Flush() => Guard(inner.Flush);
        public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));
        public override long Seek(long offset, SeekOrigin origin) => Guard(() => inner.Seek(offset, origin));
        public override void SetLength(long value) => Guard(() => inner.SetLength(value));
        public override void Write(byte[] buffer, int offset, int count) => Guard(() => inner.Write(buffer, offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw owner.Failure(e);
            }
        }

        public override void WriteByte(byte value) => Guard(() => inner.WriteByte(value));

        private void Guard(Action action) => Guard(() =>
        {
            action();
            return 0;
        });

        private T Guard<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw owner.Failure(e);
            }
        }

        // The owner disposes the file stream; a writer closing this wrapper must not.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
