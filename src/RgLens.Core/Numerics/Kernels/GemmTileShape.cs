namespace RgLens.Numerics;

/// <summary>
/// The shape of one register tile of <see cref="Gemm"/>, as compile-time constants: the JIT
/// specializes a tile kernel for each struct implementing it and removes the unused rows.
/// </summary>
internal interface IGemmTileShape
{
    /// <summary>Rows of C in the tile (1 … <see cref="Gemm"/>'s row block).</summary>
    static abstract int Rows { get; }

    /// <summary>Whether the tile spans two vectors of columns (true) or one.</summary>
    static abstract bool Wide { get; }
}

/// <summary>The tile shapes: <c>R{rows}W</c> spans two vectors of columns, <c>R{rows}N</c> one.</summary>
internal static class GemmTileShapes
{
    public struct R1W : IGemmTileShape { public static int Rows => 1; public static bool Wide => true; }
    public struct R2W : IGemmTileShape { public static int Rows => 2; public static bool Wide => true; }
    public struct R3W : IGemmTileShape { public static int Rows => 3; public static bool Wide => true; }
    public struct R4W : IGemmTileShape { public static int Rows => 4; public static bool Wide => true; }
    public struct R5W : IGemmTileShape { public static int Rows => 5; public static bool Wide => true; }
    public struct R6W : IGemmTileShape { public static int Rows => 6; public static bool Wide => true; }
    public struct R7W : IGemmTileShape { public static int Rows => 7; public static bool Wide => true; }
    public struct R8W : IGemmTileShape { public static int Rows => 8; public static bool Wide => true; }
    public struct R1N : IGemmTileShape { public static int Rows => 1; public static bool Wide => false; }
    public struct R2N : IGemmTileShape { public static int Rows => 2; public static bool Wide => false; }
    public struct R3N : IGemmTileShape { public static int Rows => 3; public static bool Wide => false; }
    public struct R4N : IGemmTileShape { public static int Rows => 4; public static bool Wide => false; }
    public struct R5N : IGemmTileShape { public static int Rows => 5; public static bool Wide => false; }
    public struct R6N : IGemmTileShape { public static int Rows => 6; public static bool Wide => false; }
    public struct R7N : IGemmTileShape { public static int Rows => 7; public static bool Wide => false; }
    public struct R8N : IGemmTileShape { public static int Rows => 8; public static bool Wide => false; }
}
