using System.Buffers.Binary;
using System.Text;

namespace RgLens.IO;

/// <summary>
/// The protocol-buffers wire format, just enough of it to read and write ONNX models
/// (see OnnxGraph in the Networks folder): varints, 32-bit floats and length-delimited fields.
/// Hand-written rather than taken from Google.Protobuf because RgLens touches only a dozen
/// fields of onnx.proto: a generated or hand-maintained set of message classes would be larger
/// than this reader, and a field-level reader keeps every field it does not know byte for byte
/// when it rewrites a model.
/// </summary>
internal static class ProtoWire
{
    /// <summary>Wire type 0: varint.</summary>
    public const int Varint = 0;

    /// <summary>Wire type 1: 64-bit.</summary>
    public const int Fixed64 = 1;

    /// <summary>Wire type 2: length-delimited (strings, bytes, embedded messages, packed repeats).</summary>
    public const int Length = 2;

    /// <summary>Wire type 5: 32-bit.</summary>
    public const int Fixed32 = 5;

    /// <summary>One field of a message: its number, wire type, the varint value (type 0) and the bytes of the whole field (tag included) and of its payload.</summary>
    public readonly record struct Field(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Raw, ReadOnlyMemory<byte> Payload)
    {
        /// <summary>The payload as UTF-8 text.</summary>
        public string Text => Encoding.UTF8.GetString(Payload.Span);
    }

    /// <summary>The fields of one message, in file order.</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed message (truncated, bad wire type).</exception>
    public static List<Field> Parse(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var span = message.Span;
        int pos = 0;
        while (pos < span.Length)
        {
            int start = pos;
            ulong tag = ReadVarint(span, ref pos);
            int number = checked((int)(tag >> 3)), wire = (int)(tag & 7);
            if (number == 0) throw new FormatException("field number 0");
            ulong value = 0;
            int payloadStart, payloadLength;
            switch (wire)
            {
                case Varint:
                    payloadStart = pos;
                    value = ReadVarint(span, ref pos);
                    payloadLength = pos - payloadStart;
                    break;
                case Fixed64:
                    payloadStart = pos;
                    payloadLength = 8;
                    break;
                case Length:
                    ulong length = ReadVarint(span, ref pos);
                    if (length > (ulong)(span.Length - pos)) throw new FormatException($"field {number} runs past the end");
                    payloadStart = pos;
                    payloadLength = (int)length;
                    break;
                case Fixed32:
                    payloadStart = pos;
                    payloadLength = 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire} of field {number}");
            }
            if (payloadStart + payloadLength > span.Length) throw new FormatException($"field {number} runs past the end");
            pos = payloadStart + payloadLength;
            fields.Add(new Field(number, wire, value, message[start..pos], message.Slice(payloadStart, payloadLength)));
        }
        return fields;
    }

    internal static ulong ReadVarint(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= span.Length) throw new FormatException("a varint runs past the end");
            byte b = span[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("a varint longer than 10 bytes");
    }

    /// <summary>Writes protocol-buffer fields to a growing buffer; the same calls give the same bytes.</summary>
    public sealed class Writer
    {
        private readonly MemoryStream _stream = new();

        /// <summary>The bytes written so far.</summary>
        public byte[] ToArray() => _stream.ToArray();

        /// <summary>The bytes written so far, without a copy (valid until the next write).</summary>
        public ReadOnlyMemory<byte> Written => _stream.GetBuffer().AsMemory(0, (int)_stream.Length);

        /// <summary>A varint field (int32, int64, enum, bool).</summary>
        public Writer Int(int number, long value)
        {
            Tag(number, Varint);
            WriteVarint((ulong)value);
            return this;
        }

        /// <summary>A string field.</summary>
        public Writer String(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));

        /// <summary>A 32-bit float field.</summary>
        public Writer Float(int number, float value)
        {
            Tag(number, Fixed32);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, value);
            _stream.Write(b);
            return this;
        }

        /// <summary>A bytes field (or an embedded message already serialized).</summary>
        public Writer Bytes(int number, ReadOnlySpan<byte> value)
        {
            Tag(number, Length);
            WriteVarint((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        /// <summary>An embedded message built by <paramref name="build"/>.</summary>
        public Writer Message(int number, Action<Writer> build)
        {
            var inner = new Writer();
            build(inner);
            return Bytes(number, inner.ToArray());
        }

        /// <summary>Copies a field read by <see cref="Parse"/> unchanged.</summary>
        public Writer Raw(Field field)
        {
            _stream.Write(field.Raw.Span);
            return this;
        }

        private void Tag(int number, int wire) => WriteVarint(((ulong)number << 3) | (uint)wire);

        private void WriteVarint(ulong v)
        {
            while (v >= 0x80)
            {
                _stream.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _stream.WriteByte((byte)v);
        }
    }
}
