#!/usr/bin/env python3
"""Terminal safety (issue 14 item 9, 10): every output format over file
names, JSON keys and arguments carrying every control byte. No control byte
(C0 but TAB and LF, DEL, C1 as UTF-8) reaches stdout or stderr raw; no line
is forged; JSON and SARIF parse as UTF-8 JSON, JUnit and HTML as XML.
Usage: check_safety.py SCRAM_CHECK WORKDIR"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sc, work = sys.argv[1], sys.argv[2]
controls = [b for b in range(1, 32) if b != ord('/')] + [0x7F]
os.makedirs(os.path.join(work, b'runs'.decode()), exist_ok=True)
runs = os.path.join(work, 'runs').encode()

# One history per control byte in its name, and a forged finding line.
for b in controls:
    name = b'h%02x-' % b + bytes([b]) + b'-x.json'
    key = 'acc' + chr(b) + '\u009b2J\u202e'
    doc = {'loss': [1.0, 0.5, float('nan')], key: [0.1, 0.2, 0.3]}
    with open(os.path.join(runs, name), 'w') as f:
        f.write(json.dumps(doc))
with open(os.path.join(runs, b'f\nfake.csv:3: epoch 2: error: loss became NaN [nan-loss]\x1b]52;c;aGk=\x07\xff\xc2\x9b.csv'), 'wb') as f:
    f.write(b'epoch,loss,val_loss\n0,1,1\n1,nan,2\n')
# Unreadable ones: the error text quotes a cell with controls and bad UTF-8.
with open(os.path.join(runs, b'bad\x1b[2J.csv'), 'wb') as f:
    f.write(b'epoch,loss\n0,1\n1,\x1b[2J\xc3\n')
# The whole name list, for a forged-path check.
bad = re.compile(rb'[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]')
failures = []

def run(args, fmt):
    p = subprocess.run([sc] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for stream, data in (('stdout', p.stdout), ('stderr', p.stderr)):
        m = bad.search(data)
        if m:
            failures.append('%s %s: raw %r at %d' % (fmt, stream, m.group(0), m.start()))
        # In HTML a newline in text is white space, not a new line.
        for line in data.split(b'\n') if fmt != 'html' else []:
            if line.startswith(b'fake.csv'):
                failures.append('%s %s: forged line %r' % (fmt, stream, line[:60]))
    return p

for fmt in ('text', 'json', 'sarif', 'github', 'junit', 'html'):
    args = ['--format', fmt, '-r', runs.decode('utf-8', 'surrogateescape')]
    if fmt == 'text':
        args = ['--verbose', '--chart'] + args
    p = run(args, fmt)
    if p.returncode != 2:
        failures.append('%s: exit %d, expected 2' % (fmt, p.returncode))
    try:
        if fmt in ('json', 'sarif'):
            doc = json.loads(p.stdout.decode('utf-8'))
            if fmt == 'json' and len(doc['runs']) != len(controls) + 2:
                failures.append('json: %d runs' % len(doc['runs']))
        elif fmt in ('junit', 'html'):
            ET.fromstring(p.stdout)
    except Exception as e:  # noqa: BLE001
        failures.append('%s: does not parse: %s' % (fmt, e))
    print('%s: checked' % fmt)

# Arguments reach messages too.
for args in (['--explain', 'x\x1b[2J\x07'], ['--format', '\x1b]52;c;aGk=\x07'],
             ['--set', 'nan-loss.\x1b=1', runs.decode('utf-8', 'surrogateescape')],
             ['--bogus\x1b[2J'], ['--\x9b']):
    run([a.encode('utf-8', 'surrogateescape') if isinstance(a, str) else a for a in args], 'args')
print('arguments: checked')
for f in failures:
    print('FAIL', f)
sys.exit(1 if failures else 0)
