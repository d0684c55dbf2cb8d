using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

/// <summary>The vector kernel paths this CPU supports, as theory data (by name: the enum is internal).</summary>
public static class FastPathData
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var p in new[] { KernelPath.Vector512, KernelPath.Vector256 })
            if (KernelPaths.IsSupported(p)) data.Add(KernelPaths.Name(p));
        return data;
    }

    internal static KernelPath Parse(string name) => name switch
    {
        "avx512" => KernelPath.Vector512,
        "avx2" => KernelPath.Vector256,
        _ => KernelPath.Scalar,
    };
}
