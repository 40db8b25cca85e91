"""Check a screenshot of the HTML report; used by tests/html/check-html.sh.

    python3 check_png.py SHOT.png WIDTH [MAX_BYTES]

Decodes the PNG with the standard library alone (zlib and struct: 8-bit
grayscale, RGB or RGBA, not interlaced, as Chromium writes them), and checks
that it is WIDTH pixels wide and at least 200 tall, that it is not blank (at
least 2% of the pixels differ from the background, the top-left pixel's
color, and there are at least 8 colors: text, badges, chart lines), and,
given MAX_BYTES, that the file is no larger. Prints its facts; exits 1 on a
failure.
"""
import struct
import sys
import zlib


def decode(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = head
    if depth != 8 or interlace or ctype not in (0, 2, 6):
        raise ValueError("unsupported PNG (depth %d, color type %d, interlace %d)"
                         % (depth, ctype, interlace))
    bpp = {0: 1, 2: 3, 6: 4}[ctype]
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    path, width = sys.argv[1], int(sys.argv[2])
    data = open(path, "rb").read()
    w, h, bpp, rows = decode(data)
    bg = rows[0][:bpp]
    ink, colors = 0, set()
    for r in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            px = r[x:x + bpp]
            if px != bg:
                ink += 1
            if len(colors) < 64:
                colors.add(px)
    share = ink / float(len(rows[::2]) * len(range(0, w * bpp, bpp * 2)))
    print("%s: %dx%d, %d bytes, %.1f%% ink, %s colors" % (
        path.rsplit("/", 1)[-1], w, h, len(data), 100 * share,
        "64+" if len(colors) >= 64 else len(colors)))
    ok = w == width and h >= 200 and share >= 0.02 and len(colors) >= 8
    if len(sys.argv) > 3 and len(data) > int(sys.argv[3]):
        print("check_png: %s is larger than %s bytes" % (path, sys.argv[3]), file=sys.stderr)
        ok = False
    if not ok:
        print("check_png: %s is blank or the wrong size" % path, file=sys.stderr)
    return 0 if ok else 1


sys.exit(main())
