using RgLens.Data;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Networks;

public class NetworkSourceErrorTests
{
    private static string Exported(TempDirectory dir, out Network net)
    {
        net = NnTestData.RandomNetwork(NetworkSpec.Autoencoder([8, 4]), seed: 6);
        string path = dir.File("m.onnx");
        OnnxExport.Save(net, path);
        return path;
    }

    private static void AssertOneLine(Exception e, string fragment)
    {
        Assert.IsType<DataFormatException>(e);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(-1)]
    public void TruncatedModelIsRefusedInOneLine(int keep)
    {
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Exported(dir, out _));
        string cut = dir.File("cut.onnx");
        File.WriteAllBytes(cut, bytes[..(keep < 0 ? bytes.Length - 1 : keep)]);
        AssertOneLine(Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(cut)), "cut.onnx");
    }

    [Fact]
    public void TextFileAndMissingFileAreRefused()
    {
        using var dir = new TempDirectory();
        string text = dir.File("notes.onnx");
        File.WriteAllText(text, "this is not a model\n");
        AssertOneLine(Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(text)), "is not an ONNX model");
        AssertOneLine(Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(dir.File("absent.onnx"))), "does not exist");
        string empty = dir.File("empty.onnx");
        File.WriteAllBytes(empty, []);
        AssertOneLine(Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(empty)), "is not an ONNX model");
    }

    [Fact]
    public void UnknownLayerListsTheAvailableOnes()
    {
        using var dir = new TempDirectory();
        string path = Exported(dir, out var net);
        var e = Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(path, ["layer9.act"]));
        AssertOneLine(e, "no layer 'layer9.act'; its layers are layer1.pre, layer1.act, output");
        string npz = dir.File("n.npz");
        net.Save(npz);
        AssertOneLine(Assert.ThrowsAny<RgLensException>(() => NetworkSources.Open(npz, ["hidden"])), "its layers are layer1.pre, layer1.act");
    }

    [Fact]
    public void WrongWidthAndNonFiniteInputsAreRefused()
    {
        using var dir = new TempDirectory();
        string path = Exported(dir, out var net);
        string npz = dir.File("n.npz");
        net.Save(npz);
        foreach (string file in new[] { path, npz })
        {
            using var source = NetworkSources.Open(file);
            AssertOneLine(Assert.Throws<DataFormatException>(() => source.Run(NnTestData.Uniform(3, 7, seed: 1))), "the data have 7 values per sample; the network takes 8 inputs");
            var bad = NnTestData.Uniform(3, 8, seed: 1);
            bad[1, 2] = float.NaN;
            AssertOneLine(Assert.Throws<DataFormatException>(() => source.Run(bad)), "row 2, column 3");
            bad[1, 2] = float.PositiveInfinity;
            AssertOneLine(Assert.Throws<DataFormatException>(() => source.Run(bad)), "inputs must be finite");
            AssertOneLine(Assert.Throws<DataFormatException>(() => source.Run(new SampleMatrix<float>(0, 8))), "no samples");
        }
    }
}
