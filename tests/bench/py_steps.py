"""py_steps.py: seeded line steps, for tests/bench/python.sh: two threads
each run a loop of K (sys.argv[1], else 20000) one-line iterations.

Under weft's 'sched seed' each line event of the program's own code is one
step, a 'for' line each time it is evaluated included: a thread takes one
step for 'n = 0', K + 1 for the 'for' line and K for its body, 2K + 2 in
all. main takes one step for each of the 11 statements of its top level
(this docstring is one) and one more for each join: 13. In all, 4K + 17;
python.sh checks that against weft's own count (ps, STEPS) before it
divides by it.
"""

import sys
import threading


def count(k):
    n = 0
    for i in range(k):
        n += i


k = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
t1 = threading.Thread(target=count, args=(k,))
t2 = threading.Thread(target=count, args=(k,))
t1.start()
t2.start()
t1.join()
t2.join()
