using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class MatrixKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(16, 16)]
    [InlineData(33, 20)]
    public void TransposeSwapsIndices(int rows, int cols)
    {
        var source = GemmTests.Fill(new Random(41), rows * cols);
        var destination = new float[rows * cols];
        MatrixKernels.Transpose(source, rows, cols, destination);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) Assert.Equal(source[r * cols + c], destination[c * rows + r]);
    }

    [Fact]
    public void TransposeRowsWritesOnlyItsColumns()
    {
        int rows = 37, cols = 21;
        var source = GemmTests.Fill(new Random(42), rows * cols);
        var whole = new float[rows * cols];
        MatrixKernels.Transpose(source, rows, cols, whole);
        var pieces = Enumerable.Repeat(float.NaN, rows * cols).ToArray();
        MatrixKernels.TransposeRows(source, rows, cols, 0, 10, pieces);
        Assert.Contains(pieces, float.IsNaN);
        MatrixKernels.TransposeRows(source, rows, cols, 10, 37, pieces);
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void ColumnSumsAddRowsInOrder()
    {
        int rows = 9, cols = 19;
        var m = GemmTests.Fill(new Random(43), rows * cols);
        var sums = Enumerable.Repeat(123f, cols + 2).ToArray();
        MatrixKernels.ColumnSums(m, rows, cols, sums);
        for (int c = 0; c < cols; c++)
        {
            float s = 0;
            for (int r = 0; r < rows; r++) s += m[r * cols + c];
            Assert.Equal(s, sums[c]);
        }
        Assert.Equal(123f, sums[cols]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(300, 1)]
    [InlineData(257, 8)]
    [InlineData(100, 16)]
    [InlineData(65, 24)]
    [InlineData(33, 41)]
    public void ColumnSumsMatchTheReferenceBitForBit(int rows, int cols)
    {
        var m = GemmTests.Fill(new Random(44 + cols), rows * cols);
        m[0] = -0f;
        var fast = Enumerable.Repeat(7f, cols + 1).ToArray();
        var reference = Enumerable.Repeat(7f, cols + 1).ToArray();
        MatrixKernels.ColumnSums(m, rows, cols, fast);
        MatrixKernels.ColumnSumsReference(m, rows, cols, reference);
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), fast.Select(BitConverter.SingleToInt32Bits));
    }
}
