using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// The activation functions σ of the network layers (docs/theory.md, "Networks and objectives": z_l = σ_l(W_l z_{l−1} + c_l))
/// and their derivatives written in terms of the activation a = σ(z), which is all backward
/// propagation keeps: tanh′ = 1 − a², sigmoid′ = a(1 − a), relu′ = [a &gt; 0]. NaN inputs give NaN
/// outputs (relu included), so a diverging network shows up in the loss.
/// </summary>
internal static class ActivationOperators
{
    /// <summary>
    /// tanh x. Vector paths: for |x| &lt; 0.625 the odd polynomial x + x³·Q(x²), Q a degree-4
    /// least-squares fit on Chebyshev nodes with relative error 4.9·10⁻⁹ (below float precision,
    /// 6·10⁻⁸); above, 1 − 2/(e^{2|x|} + 1) (<see cref="VectorMath.Exp(Vector512{float})"/>).
    /// The scalar reference is <see cref="MathF.Tanh"/>.
    /// </summary>
    public readonly struct Tanh : IUnaryOperator
    {
        private const float Switch = 0.625f;
        private const float Q0 = -0.333332871334849f, Q1 = 0.13331561137607606f, Q2 = -0.0537484420159078f;
        private const float Q3 = 0.020664723683724566f, Q4 = -0.005731194760362096f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float x) => MathF.Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            var sign = x & Vector256.Create(-0f);
            var s = Vector256.AndNot(x, sign);
            var s2 = s * s;
            var q = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(
                Vector256.Create(Q4), s2, Vector256.Create(Q3)), s2, Vector256.Create(Q2)), s2, Vector256.Create(Q1)), s2, Vector256.Create(Q0));
            var small = Vector256.FusedMultiplyAdd(s * s2, q, s);
            var e = VectorMath.Exp(s + s);
            var large = Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
            var r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(s, Vector256.Create(Switch)), large, small);
            return r | sign;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            var sign = x & Vector512.Create(-0f);
            var s = Vector512.AndNot(x, sign);
            var s2 = s * s;
            var q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(
                Vector512.Create(Q4), s2, Vector512.Create(Q3)), s2, Vector512.Create(Q2)), s2, Vector512.Create(Q1)), s2, Vector512.Create(Q0));
            var small = Vector512.FusedMultiplyAdd(s * s2, q, s);
            var e = VectorMath.Exp(s + s);
            var large = Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
            var r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(s, Vector512.Create(Switch)), large, small);
            return r | sign;
        }
    }

    /// <summary>The logistic function 1/(1 + e^{−x}); e^{−x} overflowing to ∞ gives 0, as it should.</summary>
    public readonly struct Sigmoid : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float x) => 1f / (1f + MathF.Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + VectorMath.Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + VectorMath.Exp(-x));
    }

    /// <summary>max(x, 0), written as x ≤ 0 ? 0 : x so that NaN stays NaN.</summary>
    public readonly struct Relu : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float x) => x <= 0 ? 0f : x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.Zero, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.Zero, x);
    }

    /// <summary>g ← g·(1 − a²): back through tanh, from its output a.</summary>
    public readonly struct TanhBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float g) => g * MathF.FusedMultiplyAdd(-a, a, 1f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) => g * Vector256.FusedMultiplyAdd(-a, a, Vector256<float>.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) => g * Vector512.FusedMultiplyAdd(-a, a, Vector512<float>.One);
    }

    /// <summary>g ← g·a·(1 − a): back through the logistic function, from its output a.</summary>
    public readonly struct SigmoidBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float g) => g * (a * (1f - a));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) => g * (a * (Vector256<float>.One - a));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) => g * (a * (Vector512<float>.One - a));
    }

    /// <summary>g ← a &gt; 0 ? g : 0: back through relu, from its output a.</summary>
    public readonly struct ReluBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Invoke(float a, float g) => a > 0 ? g : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> g) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<float>.Zero), g, Vector256<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> g) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<float>.Zero), g, Vector512<float>.Zero);
    }
}
