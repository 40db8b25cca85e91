#!/usr/bin/env python3
"""Writes the W&B offline run folders under testdata/rundirs/wandb/ (run from
testdata/rundirs/): run-*.wandb = 7-byte header ':W&B' + 0xBEE1 LE + version
0, then 32 KiB LevelDB-log blocks of records (uint32 LE zlib CRC-32 of the
type byte and the data, uint16 LE length, uint8 type 1 FULL 2 FIRST 3 MIDDLE
4 LAST); each record a wandb_internal.Record: num 1, history 2 =
HistoryRecord {item 1 = HistoryItem {key 1, value_json 16}, step 2 {num 1}}.
Field numbers as decoded from the corpus file run-kotlwme5.wandb."""
import os
import struct
import zlib


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def ld(num, payload):
    return varint((num << 3) | 2) + varint(len(payload)) + payload


def history(step, items):
    body = b"".join(ld(1, ld(1, k.encode()) + ld(16, v.encode())) for k, v in items)
    body += ld(2, (varint(8) + varint(step)) if step else b"")
    return varint(8) + varint(step + 1) + ld(2, body)


def log_file(records, block=32768):
    out = bytearray(b":W&B" + struct.pack("<H", 0xBEE1) + b"\0")
    for data in records:
        first = True
        while True:
            left = block - len(out) % block
            if left < 7:
                out += b"\0" * left
                continue
            room = left - 7
            piece, data = data[:room], data[room:]
            t = (1 if first else 4) if not data else (2 if first else 3)
            crc = zlib.crc32(piece, zlib.crc32(bytes([t])))
            out += struct.pack("<IHB", crc, len(piece), t) + piece
            first = False
            if not data:
                break
    return bytes(out)


recs = []
for s in range(12):
    loss = 2.0 / (1 + 0.3 * s) if s < 8 else float("nan")
    items = [("train/loss", "NaN" if loss != loss else repr(loss)),
             ("train/learning_rate", repr(1e-4)), ("train/epoch", repr(0.25 * (s + 1))),
             ("train/global_step", str(10 * (s + 1))), ("_step", str(s)), ("_runtime", "1.5")]
    recs.append(history(s, items))
# One record long enough to span blocks (FIRST, MIDDLE, LAST).
recs.append(history(12, [("train/loss", "NaN"), ("train/global_step", "130"),
                         ("big_text", '"' + "x" * 70000 + '"')]))
d = "wandb/run-20240102_000000-nanrun01"
os.makedirs(d + "/files", exist_ok=True)
data = log_file(recs)
open(d + "/run-nanrun01.wandb", "wb").write(data)
open(d + "/files/wandb-summary.json", "w").write('{"train/loss": NaN, "_step": 12}\n')
bad = bytearray(data)
bad[7 + 7 + 3] ^= 0x10
d = "wandb/run-20240103_000000-badcrc01"
os.makedirs(d + "/files", exist_ok=True)
open(d + "/run-badcrc01.wandb", "wb").write(bytes(bad))
