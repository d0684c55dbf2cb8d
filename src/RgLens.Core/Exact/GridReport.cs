namespace RgLens.Exact;

/// <summary>
/// The grid a numeric result was computed on (docs/families.md, "Grids"), and the accuracy it
/// reached: the largest change of ln Z per site, E T(x) and E x_i x_{i+1} of the infinite chain
/// when the spacing is halved or the range widened (exponential convergence makes this a
/// conservative estimate of the error).
/// </summary>
/// <param name="Points">Number of grid points (states).</param>
/// <param name="Lower">The smallest grid value of x.</param>
/// <param name="Upper">The largest grid value of x.</param>
/// <param name="Coordinate">The coordinate the grid is uniform in: <c>x</c> (trapezoid rule on ℝ), <c>ln x</c> (positive reals), <c>counts</c> (0 … M, truncated support) or <c>states</c> (the exact finite support).</param>
/// <param name="Accuracy">The accuracy reached (0 for an exact finite support).</param>
/// <param name="TargetAccuracy">The accuracy asked for.</param>
public sealed record GridReport(int Points, double Lower, double Upper, string Coordinate, double Accuracy, double TargetAccuracy);
