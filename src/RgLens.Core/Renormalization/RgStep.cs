using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// One point of an RG flow (docs/theory.md, "Decimation and its fixed points"): the parameters after <see cref="Step"/> decimations,
/// the constant g per renormalized bond that the step split off
/// (T_b(x, y) = e^g · T_{θ'}(x, y)), and the residual of projecting the renormalized kernel back
/// onto the family (the KL divergence rate lost; exactly 0 for Ising and Gaussian chains).
/// </summary>
/// <param name="Step">0 for the starting point θ0, n after n decimations.</param>
/// <param name="Parameters">θ_n.</param>
/// <param name="LogScale">g_n (0 at step 0).</param>
/// <param name="ProjectionResidual">KL divergence rate between the exact renormalized chain and θ_n.</param>
/// <param name="Grid">The grid the step was computed on; null for closed forms.</param>
public sealed record RgStep(int Step, ChainParameters Parameters, double LogScale, double ProjectionResidual, GridReport? Grid = null);
