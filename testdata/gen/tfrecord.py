"""TFRecord framing, masked CRC-32C and a minimal protobuf encoder/decoder for
TensorBoard event files (Event / Summary / Summary.Value / TensorProto /
SummaryMetadata).  Written from tensorboard/compat/proto/{event,summary,
tensor,tensor_shape,types}.proto and tensorboard/summary/writer/record_writer.py;
see FORMATS.md for the field table.  Pure Python, no protobuf library.
"""

import struct

# ---------------------------------------------------------------------------
# CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and TensorFlow's mask.

_POLY = 0x82F63B78
_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ _POLY if _c & 1 else _c >> 1
    _TABLE.append(_c)

MASK_DELTA = 0xA282EAD8


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + MASK_DELTA) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value


def frame(payload):
    """One TFRecord: u64le length, u32le masked crc(length bytes), payload,
    u32le masked crc(payload)."""
    header = struct.pack("<Q", len(payload))
    return (header + struct.pack("<I", masked_crc32c(header)) + payload
            + struct.pack("<I", masked_crc32c(payload)))


# ---------------------------------------------------------------------------
# protobuf wire encoding (proto3: default values are not written)

def varint(n):
    if n < 0:
        n &= (1 << 64) - 1  # int64 negatives: 10-byte two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint((field << 3) | wire)


def f_varint(field, n):
    return key(field, 0) + varint(n) if n else b""


def f_double(field, x):
    return key(field, 1) + struct.pack("<d", x) if x != 0 else b""


def f_float(field, x):
    return key(field, 5) + struct.pack("<f", x)


def f_bytes(field, b, force=False):
    if isinstance(b, str):
        b = b.encode("utf-8")
    if not b and not force:
        return b""
    return key(field, 2) + varint(len(b)) + b


# DataType enum values (types.proto)
DT_FLOAT, DT_DOUBLE, DT_STRING, DT_HALF = 1, 2, 7, 19


def tensor_proto(dtype, content=None, float_val=None, double_val=None,
                 half_val=None, string_val=None, shape=()):
    """TensorProto: dtype=1 (varint), tensor_shape=2 (message), tensor_content=4,
    float_val=5 (packed fixed32), double_val=6 (packed fixed64),
    string_val=8 (repeated bytes), half_val=13 (packed varint int32)."""
    dims = b"".join(f_bytes(2, f_varint(1, d), force=True) for d in shape)
    out = f_varint(1, dtype) + f_bytes(2, dims, force=True)  # empty shape still written
    if content is not None:
        out += f_bytes(4, content, force=True)
    if float_val is not None:
        out += f_bytes(5, b"".join(struct.pack("<f", v) for v in float_val))
    if double_val is not None:
        out += f_bytes(6, b"".join(struct.pack("<d", v) for v in double_val))
    if string_val is not None:
        out += b"".join(f_bytes(8, s, force=True) for s in string_val)
    if half_val is not None:
        out += f_bytes(13, b"".join(varint(v) for v in half_val))
    return out


def summary_metadata(plugin_name, content=b"", data_class=0):
    """SummaryMetadata: plugin_data=1 {plugin_name=1, content=2}, display_name=2,
    summary_description=3, data_class=4 (enum, 1 = DATA_CLASS_SCALAR)."""
    pd = f_bytes(1, plugin_name) + f_bytes(2, content)
    return f_bytes(1, pd, force=True) + f_varint(4, data_class)


def value_simple(tag, x):
    """Summary.Value with simple_value (field 2, float32 fixed32)."""
    return f_bytes(1, tag) + f_float(2, x)


def value_tensor(tag, tensor, metadata=None):
    """Summary.Value: tag=1, tensor=8, metadata=9 (C++ writes in field order)."""
    out = f_bytes(1, tag) + f_bytes(8, tensor, force=True)
    if metadata is not None:
        out += f_bytes(9, metadata, force=True)
    return out


def event(wall_time, step=0, file_version=None, summary_values=None,
          source_writer=None, graph_def=None):
    """Event: wall_time=1 (double), step=2 (int64 varint), file_version=3,
    graph_def=4, summary=5 {value=1 repeated}, source_metadata=10 {writer=1}."""
    out = f_double(1, wall_time) + f_varint(2, step)
    if file_version is not None:
        out += f_bytes(3, file_version)
    if graph_def is not None:
        out += f_bytes(4, graph_def, force=True)
    if summary_values is not None:
        out += f_bytes(5, b"".join(f_bytes(1, v, force=True) for v in summary_values), force=True)
    if source_writer is not None:
        out += f_bytes(10, f_bytes(1, source_writer), force=True)
    return out


# ---------------------------------------------------------------------------
# decoding (used by the self-check and to compare with the real corpus files)

def read_varint(b, i):
    r = s = 0
    while True:
        if i >= len(b):
            raise ValueError("varint runs off the end")
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i
        if s >= 70:
            raise ValueError("varint too long")


def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = read_varint(b, i)
        f, w = k >> 3, k & 7
        if w == 0:
            v, i = read_varint(b, i)
        elif w == 1:
            v, i = b[i:i + 8], i + 8
        elif w == 5:
            v, i = b[i:i + 4], i + 4
        elif w == 2:
            n, i = read_varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError("wire type %d" % w)
        out.append((f, w, v))
    return out


def read_records(data):
    """Yield (offset, payload) and raise ValueError on a bad CRC; stops quietly
    at a partial last record, returning the number of trailing bytes via
    StopIteration value is not used: call records_info() for that."""
    i = 0
    while i < len(data):
        if len(data) - i < 12:
            return
        header = data[i:i + 8]
        n = struct.unpack("<Q", header)[0]
        hcrc = struct.unpack("<I", data[i + 8:i + 12])[0]
        if hcrc != masked_crc32c(header):
            raise ValueError("length crc mismatch at offset %d" % i)
        if len(data) - i < 16 + n:
            return
        payload = data[i + 12:i + 12 + n]
        pcrc = struct.unpack("<I", data[i + 12 + n:i + 16 + n])[0]
        if pcrc != masked_crc32c(payload):
            raise ValueError("data crc mismatch in record at offset %d" % i)
        yield i, payload
        i += 16 + n


def half_to_float(h):
    return struct.unpack("<e", struct.pack("<H", h & 0xFFFF))[0]


def scalars(data):
    """Decode the scalar values of an event file: list of
    (step, wall_time, tag, value, encoding, has_metadata)."""
    out = []
    for off, rec in read_records(data):
        step, wt, summ = 0, 0.0, None
        for f, w, v in fields(rec):
            if f == 1:
                wt = struct.unpack("<d", v)[0]
            elif f == 2:
                step = v - (1 << 64) if v >= 1 << 63 else v
            elif f == 5:
                summ = v
        if summ is None:
            continue
        for f, w, v in fields(summ):
            if f != 1:
                continue
            tag, val, enc, md = None, None, None, False
            for f2, w2, v2 in fields(v):
                if f2 == 1:
                    tag = v2.decode()
                elif f2 == 2:
                    val, enc = struct.unpack("<f", v2)[0], "simple_value"
                elif f2 == 9:
                    md = True
                elif f2 == 8:
                    dtype, content, fv, dv, hv, shape_dims = 0, None, [], [], [], 0
                    for f3, w3, v3 in fields(v2):
                        if f3 == 1:
                            dtype = v3
                        elif f3 == 2:
                            shape_dims = sum(1 for x in fields(v3) if x[0] == 2)
                        elif f3 == 4:
                            content = v3
                        elif f3 == 5:
                            fv += [x[0] for x in struct.iter_unpack("<f", v3)] if w3 == 2 else [struct.unpack("<f", v3)[0]]
                        elif f3 == 6:
                            dv += [x[0] for x in struct.iter_unpack("<d", v3)] if w3 == 2 else [struct.unpack("<d", v3)[0]]
                        elif f3 == 13:
                            j = 0
                            while j < len(v3):
                                h, j = read_varint(v3, j)
                                hv.append(h)
                    if shape_dims:
                        continue
                    if dtype == DT_FLOAT and content is not None and len(content) == 4:
                        val, enc = struct.unpack("<f", content)[0], "tensor_content f32"
                    elif dtype == DT_DOUBLE and content is not None and len(content) == 8:
                        val, enc = struct.unpack("<d", content)[0], "tensor_content f64"
                    elif dtype == DT_HALF and content is not None and len(content) == 2:
                        val, enc = struct.unpack("<e", content)[0], "tensor_content f16"
                    elif dtype == DT_FLOAT and fv:
                        val, enc = fv[0], "float_val"
                    elif dtype == DT_DOUBLE and dv:
                        val, enc = dv[0], "double_val"
                    elif dtype == DT_HALF and hv:
                        val, enc = half_to_float(hv[0]), "half_val"
            if tag is not None and val is not None:
                out.append((step, wt, tag, val, enc, md))
    return out
