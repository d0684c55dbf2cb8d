using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// The Bernoulli chain's spectrum through the Ising mapping (docs/theory.md, "Transfer matrices and exact oracles"): with s = 2x − 1,
/// T_bernoulli(x, y) = e^{K/4 + η/2} T_ising(s, s') at K_s = K/4, h_s = η/2 + K/2, so the
/// eigenvalues are the Ising ones times e^{K/4 + η/2} and the eigenvectors are shared (states
/// ordered x = 1, 0 as s = +1, −1). The occupation operator is (I + X_ising)/2 in the eigenbasis,
/// and the open-chain end vector is the Bernoulli one, b(x) = e^{ηx/2} (the Ising end vector would
/// give the end sites a field K/4 too many). Every quantity keeps the Ising closed forms' precision.
/// </summary>
internal static class BernoulliSpectrum
{
    public static TransferSpectrum Build(BernoulliParameters p)
    {
        var ising = IsingSpectrum.Build(p.ToIsing());
        var x = ising.PointOperator;
        var occupation = new double[2, 2] { { (1 + x[0, 0]) / 2, x[0, 1] / 2 }, { x[1, 0] / 2, (1 + x[1, 1]) / 2 } };
        double scale = Math.Max(p.Field / 2, 0);
        double[] boundary = [Math.Exp(p.Field / 2 - scale), Math.Exp(-scale)];
        return new TransferSpectrum([1.0, 0.0], ising.LogLambdaMax + p.LogKernelConstant, ising.LogAbsRatio, ising.RatioSign,
            ising.Vectors, boundary, scale, occupation);
    }
}
