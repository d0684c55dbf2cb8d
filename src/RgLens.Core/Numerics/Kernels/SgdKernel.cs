using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// One step of stochastic gradient descent with momentum, as PyTorch's <c>torch.optim.SGD</c>
/// (dampening 0): g′ = g + λp; b ← μb + g′; p ← p − lr·b. With μ = 0 it is plain SGD.
/// Element-wise, so any split across threads gives the same bits.
/// </summary>
internal static class SgdKernel
{
    /// <summary>Updates p and the momentum buffer b in place from the gradient g.</summary>
    public static void Update(Span<float> p, Span<float> b, ReadOnlySpan<float> g, float learningRate, float momentum, float decay, KernelPath path)
    {
        if (b.Length != p.Length || g.Length != p.Length)
            throw new ArgumentException($"p, b, g lengths differ: {p.Length}, {b.Length}, {g.Length}.", nameof(g));
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rg = ref MemoryMarshal.GetReference(g);
        int n = p.Length, i = 0;
        if (path == KernelPath.Vector512)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                var pi = Vector512.LoadUnsafe(ref rp, (nuint)i);
                var gi = Vector512.FusedMultiplyAdd(Vector512.Create(decay), pi, Vector512.LoadUnsafe(ref rg, (nuint)i));
                var bi = Vector512.FusedMultiplyAdd(Vector512.Create(momentum), Vector512.LoadUnsafe(ref rb, (nuint)i), gi);
                bi.StoreUnsafe(ref rb, (nuint)i);
                Vector512.FusedMultiplyAdd(Vector512.Create(-learningRate), bi, pi).StoreUnsafe(ref rp, (nuint)i);
            }
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                var pi = Vector256.LoadUnsafe(ref rp, (nuint)i);
                var gi = Vector256.FusedMultiplyAdd(Vector256.Create(decay), pi, Vector256.LoadUnsafe(ref rg, (nuint)i));
                var bi = Vector256.FusedMultiplyAdd(Vector256.Create(momentum), Vector256.LoadUnsafe(ref rb, (nuint)i), gi);
                bi.StoreUnsafe(ref rb, (nuint)i);
                Vector256.FusedMultiplyAdd(Vector256.Create(-learningRate), bi, pi).StoreUnsafe(ref rp, (nuint)i);
            }
        }
        for (; i < n; i++)
            UpdateOne(ref Unsafe.Add(ref rp, i), ref Unsafe.Add(ref rb, i), Unsafe.Add(ref rg, i), learningRate, momentum, decay);
    }

    /// <summary>The scalar reference: one parameter, the same operations as the vector lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UpdateOne(ref float p, ref float b, float g, float learningRate, float momentum, float decay)
    {
        float gi = MathF.FusedMultiplyAdd(decay, p, g);
        b = MathF.FusedMultiplyAdd(momentum, b, gi);
        p = MathF.FusedMultiplyAdd(-learningRate, b, p);
    }
}
