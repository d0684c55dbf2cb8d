using RgLens.Models;

namespace RgLens.Exact;

/// <summary>The exact observables of <see cref="Model"/>, for its finite length and for the infinite chain.</summary>
/// <param name="Model">The chain solved.</param>
/// <param name="Finite">The N-site chain with the model's boundary.</param>
/// <param name="Infinite">The infinite chain with the same parameters.</param>
/// <param name="Grid">The quadrature grid or truncated support the result was computed on; null for closed forms and exact finite supports.</param>
public sealed record ExactSolution(ChainModel Model, ChainObservables Finite, ChainObservables Infinite, GridReport? Grid = null);
