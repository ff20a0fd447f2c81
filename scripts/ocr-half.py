#!/usr/bin/env python3
"""Store an ONNX model's weights as float16, or widen them back to float32.

    ocr-half.py half  IN.onnx OUT.onnx   # float32 weights of >= 1024 values -> float16
    ocr-half.py widen IN.onnx OUT.onnx   # float16 weights -> float32 (for onnxruntime)

The card reader's models ship this way: half the size in the app's package, and rten widens
every float16 weight to float32 as it loads, so the networks still compute in float32
(docs/card-reader.md has the accuracy report before and after). Small tensors (biases,
shapes, norms) stay as they are. Only the standard library: this reads and writes the
protobuf wire format of the three messages it touches (ModelProto.graph,
GraphProto.initializer, TensorProto) and copies every other field byte for byte.
"""
import struct
import sys

FLOAT, FLOAT16 = 1, 10
MIN_VALUES = 1024
# Field numbers in onnx.proto.
MODEL_GRAPH, GRAPH_INITIALIZER = 7, 5
TENSOR_DIMS, TENSOR_TYPE, TENSOR_FLOATS, TENSOR_RAW = 1, 2, 4, 9
VARINT, I64, LEN, I32 = 0, 1, 2, 5


def varint(buf, pos):
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def put_varint(value):
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def fields(buf):
    """(field number, wire type, value, the field's bytes as written) in order."""
    pos = 0
    while pos < len(buf):
        start = pos
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, pos = varint(buf, pos)
        elif wire == I64:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == I32:
            value, pos = buf[pos:pos + 4], pos + 4
        elif wire == LEN:
            size, pos = varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value, buf[start:pos]


def put_len(number, payload):
    return put_varint(number << 3 | LEN) + put_varint(len(payload)) + payload


def tensor(buf, mode):
    parsed = list(fields(buf))
    dims, dtype, floats, raw = [], None, b"", None
    for number, wire, value, _ in parsed:
        if number == TENSOR_DIMS:
            if wire == LEN:
                pos = 0
                while pos < len(value):
                    d, pos = varint(value, pos)
                    dims.append(d)
            else:
                dims.append(value)
        elif number == TENSOR_TYPE:
            dtype = value
        elif number == TENSOR_FLOATS:
            floats += value
        elif number == TENSOR_RAW:
            raw = value
    count = 1
    for d in dims:
        count *= d
    if mode == "half" and dtype == FLOAT and count >= MIN_VALUES:
        values = struct.unpack(f"<{count}f", raw if raw is not None else floats)
        new_type, new_raw = FLOAT16, struct.pack(f"<{count}e", *values)
    elif mode == "widen" and dtype == FLOAT16 and raw is not None:
        values = struct.unpack(f"<{count}e", raw)
        new_type, new_raw = FLOAT, struct.pack(f"<{count}f", *values)
    else:
        return buf
    out = bytearray()
    for number, _, _, written in parsed:
        if number == TENSOR_TYPE:
            out += put_varint(TENSOR_TYPE << 3 | VARINT) + put_varint(new_type)
        elif number == TENSOR_RAW or number == TENSOR_FLOATS:
            continue
        else:
            out += written
    return bytes(out + put_len(TENSOR_RAW, new_raw))


def rewrite(buf, field, inner):
    """`buf` with every embedded message of `field` replaced by `inner(message)`."""
    out = bytearray()
    for number, wire, value, written in fields(buf):
        if number == field and wire == LEN:
            out += put_len(number, inner(value))
        else:
            out += written
    return bytes(out)


def model(buf, mode):
    """A ModelProto with its graph's initializers rewritten by `tensor`."""
    return rewrite(buf, MODEL_GRAPH, lambda g: rewrite(g, GRAPH_INITIALIZER, lambda t: tensor(t, mode)))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("half", "widen"):
        sys.exit(__doc__)
    mode, source, dest = sys.argv[1:]
    with open(source, "rb") as f:
        data = f.read()
    with open(dest, "wb") as f:
        f.write(model(data, mode))


if __name__ == "__main__":
    main()
