namespace RgLens;

/// <summary>
/// Base of every error that RgLens raises for input it cannot accept: a parameter outside a
/// model's domain, a malformed data file, an impossible configuration. The message is one line
/// that names the problem and, where possible, how to fix it. The command-line tool prints it
/// and exits with code 2; anything else escaping the library is a bug.
/// </summary>
public class RgLensException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public RgLensException(string message) : base(message) { }

    /// <summary>Creates the error with its one-line message and the underlying cause.</summary>
    public RgLensException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A parameter point outside a chain family's normalizable domain (docs/theory.md, "Chain families"), e.g.
/// <c>Gaussian chain needs a &gt; 2|K|; got a=1, K=0.7</c>.
/// </summary>
public sealed class ModelDomainException(string message) : RgLensException(message);

/// <summary>A data file or array that cannot be read as what it is supposed to be.</summary>
public sealed class DataFormatException : RgLensException
{
    /// <summary>Creates the error with its one-line message.</summary>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Creates the error with its one-line message and the underlying cause.</summary>
    public DataFormatException(string message, Exception inner) : base(message, inner) { }
}
