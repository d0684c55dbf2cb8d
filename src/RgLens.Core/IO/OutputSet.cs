using System.Collections.Concurrent;

namespace RgLens.IO;

/// <summary>
/// The files a run writes, made visible together (docs/reliability.md, "Output files"): while a
/// set is open (the CLI opens one around every command), <see cref="AtomicFile.Commit"/> only
/// finishes its hidden temporary file (written and flushed to disk) and stages it here; the
/// temporaries are moved over their targets by <see cref="Commit"/>, after the last file of the
/// run has been written. A set disposed without <see cref="Commit"/> (an error, a full disk, a
/// signal) deletes every staged file and every folder the run created that holds no visible
/// file, so a failed run leaves nothing under the names it would have written.
/// Files that must survive an interrupted run (a training checkpoint, a finished sweep cell) are
/// written with <c>immediate: true</c> and are not part of the set.
/// The set is per logical call (<see cref="AsyncLocal{T}"/>), so runs in one process do not mix.
/// </summary>
public sealed class OutputSet : IDisposable
{
    private static readonly AsyncLocal<OutputSet?> s_current = new();
    private static readonly ConcurrentDictionary<OutputSet, byte> s_open = new();
    private readonly List<(string Temp, string Target)> _staged = [];
    private readonly List<string> _createdFolders = [];
    private readonly OutputSet? _outer;
    private bool _done;

    private OutputSet(OutputSet? outer) => _outer = outer;

    /// <summary>The set the current call writes into, or null (files are then visible at once).</summary>
    public static OutputSet? Current => s_current.Value;

    /// <summary>Opens a set for the current call (and the tasks it starts).</summary>
    public static OutputSet Begin()
    {
        var set = new OutputSet(s_current.Value);
        s_current.Value = set;
        s_open[set] = 0;
        return set;
    }

    /// <summary>Whether <see cref="Commit"/> has run (a nested set has then handed its files to the enclosing one).</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>Whether files are still staged into this set (neither committed nor rolled back); a finished set's caller writes its files at once.</summary>
    internal bool IsOpen
    {
        get
        {
            lock (_staged) return !_done;
        }
    }

    /// <summary>The targets staged so far, in the order they were written.</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (_staged) return _staged.Select(s => s.Target).ToArray();
        }
    }

    internal void Stage(string temp, string target)
    {
        lock (_staged) _staged.Add((temp, target));
    }

    /// <summary>Records that the current run created <paramref name="folder"/> (removed again if the run fails).</summary>
    public static void FolderCreated(string folder)
    {
        if (Current is not { } set) return;
        lock (set._staged) set._createdFolders.Add(Path.GetFullPath(folder));
    }

    /// <summary>Makes every staged file visible (moves each temporary over its target, in order).</summary>
    /// <exception cref="RgLensException">A move failed; the files not yet moved are deleted.</exception>
    public void Commit()
    {
        (string Temp, string Target)[] staged;
        lock (_staged) staged = [.. _staged];
        if (_outer is not null)
        {
            // A nested set hands its files to the enclosing one.
            foreach (var (temp, target) in staged) _outer.Stage(temp, target);
            lock (_outer._staged) _outer._createdFolders.AddRange(_createdFolders);
            Finish(committed: true);
            return;
        }
        try
        {
            foreach (var (temp, target) in staged)
            {
                File.Move(temp, target, overwrite: true);
                AtomicFile.Forget(temp);
                lock (_staged) _staged.Remove((temp, target));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RgLensException($"cannot make the output visible: {e.Message}", e);
        }
        Finish(committed: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_done) Finish(committed: false);
    }

    /// <summary>Rolls back every open set (the signal watchdog, just before the process ends).</summary>
    internal static void AbandonAll()
    {
        foreach (var set in s_open.Keys) set.Finish(committed: false);
    }

    private void Finish(bool committed)
    {
        lock (_staged)
        {
            if (_done) return;
            _done = true;
            IsCommitted = committed;
            if (!committed)
            {
                foreach (var (temp, _) in _staged) AtomicFile.DeleteTemporary(temp);
                foreach (var folder in _createdFolders) RemoveIfInvisible(folder);
            }
            _staged.Clear();
        }
        s_open.TryRemove(this, out _);
        if (ReferenceEquals(s_current.Value, this)) s_current.Value = _outer;
    }

    /// <summary>Deletes a folder this run created when it holds no visible (non-hidden) file at any depth.</summary>
    private static void RemoveIfInvisible(string folder)
    {
        try
        {
            if (!Directory.Exists(folder)) return;
            bool visible = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Any(f => !Path.GetFileName(f).StartsWith('.'));
            if (!visible) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the files themselves are gone.
        }
    }
}
