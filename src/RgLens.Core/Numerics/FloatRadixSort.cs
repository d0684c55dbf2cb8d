namespace RgLens.Numerics;

/// <summary>
/// Sorts float keys ascending together with an int payload by a least-significant-digit radix
/// sort (three passes of 11, 11 and 10 bits over the keys mapped to order-preserving unsigned
/// integers; 2048 counters fit in L1). The
/// continuous reading ranks every unit of a layer (a million-element sort per 10 units on 100,000
/// samples); a comparison sort spent most of a wide layer's reading time there, this is several
/// times faster and its cost is linear. Stable; −0 sorts just before +0; NaN keys are not expected
/// (the data are checked for them) and would sort after +∞ or before −∞ by their sign bit.
/// <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> is the reference the tests compare with.
/// </summary>
internal sealed class FloatRadixSort
{
    private uint[] _keys = [], _keysTmp = [];
    private int[] _itemsTmp = [];
    private readonly int[] _counts = new int[3 * Radix];
    private const int Bits = 11, Radix = 1 << Bits, Mask = Radix - 1;

    /// <summary>Sorts keys[0..n) and items[0..n) in place, by key.</summary>
    public void Sort(Span<float> keys, Span<int> items)
    {
        int n = keys.Length;
        if (items.Length != n) throw new ArgumentException("keys and items must have the same length.");
        if (_keys.Length < n)
        {
            _keys = new uint[n];
            _keysTmp = new uint[n];
            _itemsTmp = new int[n];
        }
        var k = _keys.AsSpan(0, n);
        var kt = _keysTmp.AsSpan(0, n);
        var it = _itemsTmp.AsSpan(0, n);
        Array.Clear(_counts);
        for (int i = 0; i < n; i++)
        {
            uint u = BitConverter.SingleToUInt32Bits(keys[i]);
            u = (u & 0x8000_0000u) != 0 ? ~u : u | 0x8000_0000u;
            k[i] = u;
            _counts[(int)(u & Mask)]++;
            _counts[Radix + (int)((u >> Bits) & Mask)]++;
            _counts[2 * Radix + (int)(u >> (2 * Bits))]++;
        }
        // Ping-pong between the two buffer pairs; the data end where the last pass put them.
        Span<uint> kSrc = k, kDst = kt;
        Span<int> iSrc = items, iDst = it;
        bool inItems = true;
        for (int pass = 0; pass < 3; pass++)
        {
            var count = _counts.AsSpan(Radix * pass, Radix);
            int shift = Bits * pass;
            if (count[(int)((kSrc[0] >> shift) & Mask)] == n) continue; // every key has this digit: nothing moves
            int sum = 0;
            for (int d = 0; d < Radix; d++) { int c = count[d]; count[d] = sum; sum += c; }
            for (int i = 0; i < n; i++)
            {
                uint key = kSrc[i];
                int to = count[(int)((key >> shift) & Mask)]++;
                kDst[to] = key;
                iDst[to] = iSrc[i];
            }
            var kSwap = kSrc; kSrc = kDst; kDst = kSwap;
            var iSwap = iSrc; iSrc = iDst; iDst = iSwap;
            inItems = !inItems;
        }
        if (!inItems) iSrc.CopyTo(items);
        k = kSrc;
        for (int i = 0; i < n; i++)
        {
            uint u = k[i];
            u = (u & 0x8000_0000u) != 0 ? u & 0x7FFF_FFFFu : ~u;
            keys[i] = BitConverter.UInt32BitsToSingle(u);
        }
    }
}
