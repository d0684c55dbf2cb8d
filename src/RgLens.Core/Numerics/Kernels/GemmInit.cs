namespace RgLens.Numerics;

/// <summary>What <see cref="Gemm.Multiply"/> adds the product to.</summary>
internal enum GemmInit
{
    /// <summary>C = op(A)·B.</summary>
    Zero,

    /// <summary>C = 1·biasᵀ + op(A)·B: the bias row added to every row (a layer's c_l).</summary>
    Bias,

    /// <summary>C = C + op(A)·B.</summary>
    Accumulate,
}
