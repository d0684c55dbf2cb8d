namespace RgLens.IO;

/// <summary>The checks every input file passes before it is opened, with one-line messages.</summary>
public static class InputFile
{
    /// <summary>Refuses a folder, a missing path, and what cannot be read as data (a FIFO, a device, a socket).</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for the message ("data file", "network file").</param>
    /// <exception cref="DataFormatException">One line saying which.</exception>
    public static void Require(string path, string what)
    {
        if (Directory.Exists(path)) throw new DataFormatException($"'{path}' is a folder, not a {what}.");
        if (!File.Exists(path)) throw new DataFormatException($"{what} '{path}' does not exist.");
        if (FileKind.NotReadableAsData(path) is { } why) throw new DataFormatException($"{what} '{path}' is {why}.");
    }
}
