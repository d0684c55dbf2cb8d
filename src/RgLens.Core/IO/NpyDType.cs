namespace RgLens.IO;

/// <summary>The NumPy element types RgLens reads and writes (NPY format 1.0–3.0).</summary>
public enum NpyDType
{
    /// <summary>'b1' boolean (read as 0/1).</summary>
    Bool,
    /// <summary>'i1' signed byte: spins are written this way.</summary>
    Int8,
    /// <summary>'u1' unsigned byte.</summary>
    UInt8,
    /// <summary>'i2' 16-bit integer.</summary>
    Int16,
    /// <summary>'i4' 32-bit integer.</summary>
    Int32,
    /// <summary>'i8' 64-bit integer.</summary>
    Int64,
    /// <summary>'f4' single precision.</summary>
    Float32,
    /// <summary>'f8' double precision.</summary>
    Float64,

    /// <summary>IEEE half precision (read only).</summary>
    Float16,

    /// <summary>Unsigned 16-bit integers (read only).</summary>
    UInt16,

    /// <summary>Unsigned 32-bit integers (read only).</summary>
    UInt32,

    /// <summary>Unsigned 64-bit integers (read only; values above 2^53 lose precision as doubles).</summary>
    UInt64,
}
