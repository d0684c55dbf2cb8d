using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RgLens.Numerics;

/// <summary>
/// The instruction path a hand-written kernel takes: 512-bit vectors (AVX-512), 256-bit vectors
/// with FMA (AVX2 or any CPU where <see cref="Vector256"/> is accelerated), or plain scalar code.
/// Every path computes the same fused multiply-adds in the same order, so results are identical.
/// </summary>
internal enum KernelPath
{
    /// <summary>Scalar reference code: readable, slow, the oracle for the other paths.</summary>
    Scalar,

    /// <summary>256-bit vectors: the portable fast path for CPUs without AVX-512.</summary>
    Vector256,

    /// <summary>512-bit vectors (AVX-512F).</summary>
    Vector512,
}

/// <summary>Which <see cref="KernelPath"/> this machine runs, and its name for reports.</summary>
internal static class KernelPaths
{
    /// <summary>The fastest path this CPU supports.</summary>
    public static KernelPath Best { get; } =
        Avx512F.IsSupported ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelPath.Vector256
        : KernelPath.Scalar;

    /// <summary>The path's name in benchmark JSON: <c>avx512</c>, <c>avx2</c> or <c>scalar</c>.</summary>
    public static string Name(KernelPath path) => path switch
    {
        KernelPath.Vector512 => "avx512",
        KernelPath.Vector256 => "avx2",
        _ => "scalar",
    };

    /// <summary>Whether <paramref name="path"/> can run on this CPU.</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Vector512 => Avx512F.IsSupported,
        KernelPath.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };
}
