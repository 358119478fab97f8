# shim-build.py: compiles src/shim.py (given as the argument) as weft
# would at start, and writes the bytecode as C for src/pyrun.c to load
# (src/shim-code.inc): SHIM_MAGIC, the magic number of the Python that
# compiled it (weft uses the bytes only when its CPython's is the same),
# and SHIM_CODE, the code object marshalled.
import importlib.util
import marshal
import sys

with open(sys.argv[1], encoding='utf-8') as f:
    source = f.read()
data = marshal.dumps(compile(source, '<weft>', 'exec'))
magic = int.from_bytes(importlib.util.MAGIC_NUMBER, 'little')
out = ['/* Made by src/shim-build.py from src/shim.py: do not edit. */',
       '#define SHIM_MAGIC %dL' % magic,
       'static const unsigned char SHIM_CODE[%d] = {' % len(data)]
for i in range(0, len(data), 12):
    out.append('\t' + ' '.join('0x%02x,' % b for b in data[i:i + 12]))
out.append('};')
sys.stdout.write('\n'.join(out) + '\n')
