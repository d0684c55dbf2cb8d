namespace RgLens.Models;

/// <summary>Boundary condition of a chain x_1 … x_N (docs/theory.md, "Chain families").</summary>
public enum Boundary
{
    /// <summary>A ring: x_{N+1} = x_1, N bonds.</summary>
    Periodic,

    /// <summary>An open chain: N − 1 bonds, the end sites have one neighbour each.</summary>
    Open,
}
