using System.Globalization;
using RgLens.Nn;

namespace RgLens.Networks;

/// <summary>Which index runs fastest when a convolutional layer's channels × sites are flattened into one row per sample.</summary>
public enum ChannelOrder
{
    /// <summary>RgLens's own layout ("channels last"): column <c>site · channels + channel</c>.</summary>
    SiteMajor,

    /// <summary>ONNX's and PyTorch's NCW layout: column <c>channel · sites + site</c>.</summary>
    ChannelMajor,
}

/// <summary>
/// How a layer's units sit on the chain: <paramref name="Channels"/> channels of
/// <paramref name="Sites"/> sites each, flattened in <paramref name="Order"/>.
/// </summary>
/// <param name="Channels">Channels C (≥ 1).</param>
/// <param name="Sites">Sites per channel W (≥ 1).</param>
/// <param name="Order">The flattening.</param>
public sealed record ChannelLayout(int Channels, int Sites, ChannelOrder Order)
{
    /// <summary>The prefix of the ONNX metadata key that records a tensor's layout (<c>rglens.channels:</c> + tensor name).</summary>
    public const string MetadataPrefix = "rglens.channels:";

    /// <summary>Units in all: C · W.</summary>
    public int Units => Channels * Sites;

    /// <summary>The column of channel <paramref name="channel"/> at site <paramref name="site"/>.</summary>
    public int Column(int channel, int site) => Order == ChannelOrder.SiteMajor ? site * Channels + channel : channel * Sites + site;

    /// <summary>The layout of an RgLens layer's units: site-major channels for a convolution, null for a dense layer.</summary>
    public static ChannelLayout? Of(LayerSpec layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Kind == LayerKind.Conv1d ? new ChannelLayout(layer.OutChannels, layer.OutputSites, ChannelOrder.SiteMajor) : null;
    }

    /// <summary>
    /// The layout of an ONNX tensor of shape <paramref name="shape"/> (batch axis first): [batch, C, W]
    /// with W ≥ 2 is C channels of W sites (NCW); other shapes are not read as channels (null).
    /// </summary>
    public static ChannelLayout? OfShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Count == 3 && shape[1] >= 1 && shape[2] >= 2 && shape[1] * shape[2] <= int.MaxValue
            ? new ChannelLayout((int)shape[1], (int)shape[2], ChannelOrder.ChannelMajor) : null;
    }

    /// <summary>The flattening's name: <c>site-major</c> or <c>channel-major</c>.</summary>
    public string OrderName => Order == ChannelOrder.SiteMajor ? "site-major" : "channel-major";

    /// <summary>The metadata value that records this layout, e.g. <c>4x32 site-major</c>.</summary>
    public string ToMetadata() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Sites} {OrderName}");

    /// <summary>Reads <see cref="ToMetadata"/>'s text; null when it is not one.</summary>
    public static ChannelLayout? FromMetadata(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ');
        if (parts.Length != 2) return null;
        var sizes = parts[0].Split('x');
        if (sizes.Length != 2
            || !int.TryParse(sizes[0], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c < 1
            || !int.TryParse(sizes[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || w < 1
            || (long)c * w > int.MaxValue) return null;
        return parts[1] switch
        {
            "site-major" => new ChannelLayout(c, w, ChannelOrder.SiteMajor),
            "channel-major" => new ChannelLayout(c, w, ChannelOrder.ChannelMajor),
            _ => null,
        };
    }
}
