namespace RgLens.IO;

/// <summary>
/// An exclusive lock on an output folder for the length of a run, so that two runs into one
/// folder never mix their files: the second is refused with one line instead of interleaving
/// (a network from one seed beside the run.json of another). The lock is the file
/// <c>.rglens.lock</c> opened without sharing and deleted on close; the operating system releases
/// it when the process dies, so a killed run never leaves a folder locked. It holds the pid and
/// command of its owner for the message.
/// </summary>
public sealed class OutputLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = ".rglens.lock";

    private readonly FileStream _stream;

    private OutputLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist).</summary>
    /// <exception cref="RgLensException">Another run holds it (one line, naming it when it can).</exception>
    public static OutputLock Acquire(string folder, string command)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
            stream.SetLength(0);
            var text = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId} rglens {command}\n");
            stream.Write(text);
            stream.Flush();
            return new OutputLock(stream);
        }
        catch (IOException)
        {
            string owner = "";
            try
            {
                using var other = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(other);
                owner = reader.ReadLine()?.Trim() ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                owner = "";
            }
            throw new RgLensException($"another rglens run is writing into '{folder}'{(owner.Length > 0 ? $" (pid and command: {owner})" : "")}; wait for it or choose another folder.");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
