namespace RgLens.Results;

/// <summary>
/// Standard errors of the RG targets when θ0 is itself an estimate (a fit to the user's data): the
/// RG is run on draws of θ0 from its sampling distribution and the spread of each target taken.
/// </summary>
/// <param name="Draws">Draws of θ0 behind the standard errors.</param>
/// <param name="FixedPoint">SE of each parameter of θ*(θ0), by name.</param>
/// <param name="CouplingByCompression">SE of K of R_b(θ0), by b.</param>
/// <param name="CouplingByLayer">SE of K of R_2^l(θ0), by l.</param>
public sealed record RgUncertainty(int Draws, IReadOnlyDictionary<string, double> FixedPoint, IReadOnlyDictionary<int, double> CouplingByCompression, IReadOnlyDictionary<int, double> CouplingByLayer);
