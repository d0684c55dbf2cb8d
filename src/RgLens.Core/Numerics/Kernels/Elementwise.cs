using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>An element-wise operation y = f(x) at every vector width (the TensorPrimitives pattern).</summary>
internal interface IUnaryOperator
{
    /// <summary>The scalar reference.</summary>
    static abstract float Invoke(float x);

    /// <summary>The portable vector path.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);

    /// <summary>The AVX-512 path.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise operation g ← f(a, g) at every vector width.</summary>
internal interface IBinaryOperator
{
    /// <summary>The scalar reference.</summary>
    static abstract float Invoke(float a, float g);

    /// <summary>The portable vector path.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> g);

    /// <summary>The AVX-512 path.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> g);
}

/// <summary>
/// The loops that run an operator over a span on a <see cref="KernelPath"/>. The last partial
/// vector goes through a zero-padded stack copy, so every element of a span gets the same
/// vector-path result wherever it sits, and no call allocates.
/// </summary>
internal static class Elementwise
{
    /// <summary>x[i] ← f(x[i]).</summary>
    public static void Apply<TOp>(Span<float> x, KernelPath path) where TOp : IUnaryOperator
    {
        ref float p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (path == KernelPath.Vector512)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref p, (nuint)i)).StoreUnsafe(ref p, (nuint)i);
            if (i < n)
            {
                Span<float> t = stackalloc float[Vector512<float>.Count];
                t.Clear();
                x[i..].CopyTo(t);
                TOp.Invoke(Vector512.Create((ReadOnlySpan<float>)t)).CopyTo(t);
                t[..(n - i)].CopyTo(x[i..]);
            }
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref p, (nuint)i)).StoreUnsafe(ref p, (nuint)i);
            if (i < n)
            {
                Span<float> t = stackalloc float[Vector256<float>.Count];
                t.Clear();
                x[i..].CopyTo(t);
                TOp.Invoke(Vector256.Create((ReadOnlySpan<float>)t)).CopyTo(t);
                t[..(n - i)].CopyTo(x[i..]);
            }
        }
        else
        {
            for (; i < n; i++) Unsafe.Add(ref p, i) = TOp.Invoke(Unsafe.Add(ref p, i));
        }
    }

    /// <summary>g[i] ← f(a[i], g[i]); <paramref name="a"/> must be at least as long as <paramref name="g"/>.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, Span<float> g, KernelPath path) where TOp : IBinaryOperator
    {
        if (a.Length < g.Length) throw new ArgumentException($"a holds {a.Length} floats; g needs {g.Length}.", nameof(a));
        ref float pa = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref float pg = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(g);
        int n = g.Length, i = 0;
        if (path == KernelPath.Vector512)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pg, (nuint)i)).StoreUnsafe(ref pg, (nuint)i);
            if (i < n)
            {
                Span<float> ta = stackalloc float[Vector512<float>.Count], tg = stackalloc float[Vector512<float>.Count];
                ta.Clear();
                tg.Clear();
                a[i..n].CopyTo(ta);
                g[i..].CopyTo(tg);
                TOp.Invoke(Vector512.Create((ReadOnlySpan<float>)ta), Vector512.Create((ReadOnlySpan<float>)tg)).CopyTo(tg);
                tg[..(n - i)].CopyTo(g[i..]);
            }
        }
        else if (path == KernelPath.Vector256)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pg, (nuint)i)).StoreUnsafe(ref pg, (nuint)i);
            if (i < n)
            {
                Span<float> ta = stackalloc float[Vector256<float>.Count], tg = stackalloc float[Vector256<float>.Count];
                ta.Clear();
                tg.Clear();
                a[i..n].CopyTo(ta);
                g[i..].CopyTo(tg);
                TOp.Invoke(Vector256.Create((ReadOnlySpan<float>)ta), Vector256.Create((ReadOnlySpan<float>)tg)).CopyTo(tg);
                tg[..(n - i)].CopyTo(g[i..]);
            }
        }
        else
        {
            for (; i < n; i++) Unsafe.Add(ref pg, i) = TOp.Invoke(Unsafe.Add(ref pa, i), Unsafe.Add(ref pg, i));
        }
    }
}
