using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// One Adam update (Kingma and Ba, 2015) of a slice of parameters, with the bias corrections of
/// PyTorch's <c>torch.optim.Adam</c> and decoupled weight decay (AdamW, Loshchilov and Hutter,
/// 2019): p ← p·(1 − lr·λ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// p ← p − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε). Element-wise, so any split of the slice across
/// threads gives the same bits.
/// </summary>
internal static class AdamKernel
{
    /// <summary>The per-step constants of the update.</summary>
    /// <param name="LearningRate">lr at this step (after the schedule).</param>
    /// <param name="Beta1">β₁.</param>
    /// <param name="Beta2">β₂.</param>
    /// <param name="Epsilon">ε.</param>
    /// <param name="Decay">Decoupled weight decay λ (0 for biases).</param>
    /// <param name="Step">t, counting from 1.</param>
    internal readonly record struct Settings(float LearningRate, float Beta1, float Beta2, float Epsilon, float Decay, long Step)
    {
        public float StepSize => (float)(LearningRate / (1 - Math.Pow(Beta1, Step)));

        public float InverseRootCorrection => (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, Step)));

        public float Shrink => 1f - LearningRate * Decay;
    }

    /// <summary>Updates p, m, v in place from the gradient g (all the same length).</summary>
    public static void Update(Span<float> p, Span<float> m, Span<float> v, ReadOnlySpan<float> g, in Settings s, KernelPath path)
    {
        if (m.Length != p.Length || v.Length != p.Length || g.Length != p.Length)
            throw new ArgumentException($"p, m, v, g lengths differ: {p.Length}, {m.Length}, {v.Length}, {g.Length}.", nameof(g));
        float step = s.StepSize, root = s.InverseRootCorrection, shrink = s.Shrink;
        float b1 = s.Beta1, b2 = s.Beta2, eps = s.Epsilon;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        ref float rg = ref MemoryMarshal.GetReference(g);
        int n = p.Length, i = 0;
        if (path == KernelPath.Vector512)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref rg, (nuint)i);
                var mi = Vector512.FusedMultiplyAdd(Vector512.Create(b1), Vector512.LoadUnsafe(ref rm, (nuint)i), Vector512.Create(1 - b1) * gi);
                var vi = Vector512.FusedMultiplyAdd(Vector512.Create(b2), Vector512.LoadUnsafe(ref rv, (nuint)i), Vector512.Create(1 - b2) * gi * gi);
                var denominator = Vector512.FusedMultiplyAdd(Vector512.Sqrt(vi), Vector512.Create(root), Vector512.Create(eps));
                var pi = Vector512.LoadUnsafe(ref rp, (nuint)i) * Vector512.Create(shrink) - Vector512.Create(step) * mi / denominator;
                mi.StoreUnsafe(ref rm, (nuint)i);
                vi.StoreUnsafe(ref rv, (nuint)i);
                pi.StoreUnsafe(ref rp, (nuint)i);
            }
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref rg, (nuint)i);
                var mi = Vector256.FusedMultiplyAdd(Vector256.Create(b1), Vector256.LoadUnsafe(ref rm, (nuint)i), Vector256.Create(1 - b1) * gi);
                var vi = Vector256.FusedMultiplyAdd(Vector256.Create(b2), Vector256.LoadUnsafe(ref rv, (nuint)i), Vector256.Create(1 - b2) * gi * gi);
                var denominator = Vector256.FusedMultiplyAdd(Vector256.Sqrt(vi), Vector256.Create(root), Vector256.Create(eps));
                var pi = Vector256.LoadUnsafe(ref rp, (nuint)i) * Vector256.Create(shrink) - Vector256.Create(step) * mi / denominator;
                mi.StoreUnsafe(ref rm, (nuint)i);
                vi.StoreUnsafe(ref rv, (nuint)i);
                pi.StoreUnsafe(ref rp, (nuint)i);
            }
        }
        for (; i < n; i++)
            UpdateOne(ref Unsafe.Add(ref rp, i), ref Unsafe.Add(ref rm, i), ref Unsafe.Add(ref rv, i), Unsafe.Add(ref rg, i), b1, b2, eps, step, root, shrink);
    }

    /// <summary>The scalar reference: one parameter, the same operations as the vector lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UpdateOne(ref float p, ref float m, ref float v, float g, float b1, float b2, float eps, float step, float root, float shrink)
    {
        m = MathF.FusedMultiplyAdd(b1, m, (1 - b1) * g);
        v = MathF.FusedMultiplyAdd(b2, v, (1 - b2) * g * g);
        float denominator = MathF.FusedMultiplyAdd(MathF.Sqrt(v), root, eps);
        p = p * shrink - step * m / denominator;
    }
}
