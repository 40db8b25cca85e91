#!/usr/bin/env python3
"""Writes the TensorBoard event files under testdata/tfevents/ (run from there).

A hand-rolled TFRecord + protobuf writer, independent of the C reader, using
the field numbers of tensorboard/compat/proto/{event,summary,tensor}.proto:
Event.wall_time 1, step 2, file_version 3, summary 5; Summary.value 1;
Value.tag 1, simple_value 2, histo 5, tensor 8, metadata 9;
SummaryMetadata.plugin_data 1 -> plugin_name 1; TensorProto.dtype 1,
tensor_shape 2, tensor_content 4, float_val 5, double_val 6, half_val 13.
"""
import os
import struct


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    n &= (1 << 64) - 1
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def key(num, wt):
    return varint((num << 3) | wt)


def ld(num, payload):
    return key(num, 2) + varint(len(payload)) + payload


def f32(num, v):
    return key(num, 5) + struct.pack("<f", v)


def f64(num, v):
    return key(num, 1) + struct.pack("<d", v)


def vi(num, v):
    return key(num, 0) + varint(v)


def record(payload):
    head = struct.pack("<Q", len(payload))
    return head + struct.pack("<I", masked(head)) + payload + struct.pack("<I", masked(payload))


def event(step, values=None, wall=1700000000.0, version=None):
    body = f64(1, wall + step) + vi(2, step)
    if version:
        body += ld(3, version.encode())
    if values is not None:
        body += ld(5, b"".join(ld(1, v) for v in values))
    return record(body)


def simple(tag, v):
    return ld(1, tag.encode()) + f32(2, v)


def plugin(name):
    return ld(9, ld(1, ld(1, name.encode())))


def tensor_float(tag, v, first=False):
    t = vi(1, 1) + ld(2, b"") + ld(4, struct.pack("<f", v))
    return ld(1, tag.encode()) + (plugin("scalars") if first else b"") + ld(8, t)


def tensor_double(tag, v):
    return ld(1, tag.encode()) + ld(8, vi(1, 2) + ld(6, struct.pack("<d", v)))


def tensor_half(tag, v):
    h = struct.unpack("<H", struct.pack("<e", v))[0]
    return ld(1, tag.encode()) + ld(8, vi(1, 19) + ld(13, varint(h)))


def histogram(tag):
    t = vi(1, 2) + ld(2, ld(2, vi(1, 3)) + ld(2, vi(1, 3))) + ld(4, b"\0" * 72)
    return ld(1, tag.encode()) + plugin("histograms") + ld(8, t)


def header():
    return event(0, version="brain.Event:2")


def write(path, data):
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# Keras TensorBoard callback: train/ and validation/ with the same tags,
# scalars as float tensors, plugin metadata on the first value only.
train = [0.9, 0.6, 0.45, 0.35, 0.28, 0.22, 0.17, 0.13, 0.1, 0.08]
val = [0.95, 0.7, 0.6, 0.58, 0.6, 0.66, 0.73, 0.8, 0.88, 0.97]
acc = [0.6, 0.72, 0.8, 0.85, 0.88, 0.91, 0.93, 0.95, 0.96, 0.97]
vacc = [0.58, 0.7, 0.74, 0.75, 0.75, 0.74, 0.73, 0.72, 0.71, 0.7]
for split, loss, a in (("train", train, acc), ("validation", val, vacc)):
    data = header()
    for e in range(10):
        data += event(e, [tensor_float("epoch_loss", loss[e], e == 0),
                          tensor_float("epoch_accuracy", a[e], e == 0)])
        data += event(e, [histogram("dense/kernel_0")])
    write("keras-overfit/%s/events.out.tfevents.1700000000.host.1.0.v2" % split, data)

# Hugging Face Trainer: train/* per step, eval/* per evaluation, summary tags.
data = header()
for s in range(1, 41):
    data += event(s, [simple("train/loss", 2.0 / (1 + 0.05 * s)),
                      simple("train/learning_rate", 5e-5 * (1 - s / 40)),
                      simple("train/epoch", s / 20)])
    if s % 10 == 0:
        data += event(s, [simple("eval/loss", 1.9 / (1 + 0.04 * s)),
                          simple("eval/runtime", 3.5), simple("train/epoch", s / 20)])
data += event(40, [simple("train/train_runtime", 100.0), simple("train/train_loss", 1.2)])
write("hf-runs/Dec05_05-05-28_host/events.out.tfevents.1700000000.host.1.0", data)

# Lightning TensorBoardLogger: train_loss every 5 steps, epoch, val_loss per epoch.
data = header()
step = 0
for e in range(6):
    for k in range(4):
        step += 5
        data += event(step, [simple("train_loss", 1.5 - 0.2 * e - 0.02 * k)])
        data += event(step, [simple("epoch", float(e))])
    data += event(step, [simple("val_loss", 1.4 - 0.15 * e)])
    data += event(step, [simple("epoch", float(e))])
data += event(step, [simple("hp_metric", -1.0)])
write("lightning/version_0/events.out.tfevents.1700000000.host.1.0", data)

# A TF1 FileWriter that passed no global step: every value at step 1, with a NaN.
data = header()
for i, v in enumerate([0.7, 0.6, float("nan"), float("nan"), float("nan")]):
    data += event(1, [simple("cost", v)])
write("tf1-same-step.tfevents", data)

# Half and double tensors, and a restart: a second file logging steps again.
data = header()
for s in range(5):
    data += event(s, [tensor_half("loss", 1.0 - 0.1 * s), tensor_double("val_loss", 1.1 - 0.05 * s)])
write("restart/events.out.tfevents.1700000000.host.1.0", data)
data = header()
for s in range(3, 8):
    data += event(s, [tensor_half("loss", 0.9 - 0.1 * s), tensor_double("val_loss", 1.0 - 0.05 * s)])
write("restart/events.out.tfevents.1700000500.host.2.0", data)

# Corruptions of one small healthy file.
good = header()
for s in range(6):
    good += event(s, [simple("loss", 1.0 / (s + 1)), simple("val_loss", 1.2 / (s + 1))])
write("good.tfevents", good)
rec = len(header())
bad = bytearray(good)
bad[rec + 12 + 5] ^= 0x40                       # a payload byte of record 2
write("corrupt-data-crc.tfevents", bytes(bad))
bad = bytearray(good)
bad[rec + 2] ^= 0x01                            # the length of record 2
write("corrupt-length-crc.tfevents", bytes(bad))
write("truncated.tfevents", good[:-7])          # the last record cut short
huge = struct.pack("<Q", 1 << 60)
write("huge-length.tfevents", header() + huge + struct.pack("<I", masked(huge)) + b"\0" * 20)
cut = f64(1, 1.0) + vi(2, 3) + key(5, 2) + b"\xff\xff\xff"   # summary length varint cut
write("cut-varint.tfevents", header() + record(cut))
write("only-header.tfevents", header())
