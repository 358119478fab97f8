"""py_threads.py: a Python thread's start and join, for
tests/bench/python.sh: N threading.Thread (N is sys.argv[1], else 200),
each with a trivial target, started and joined one after another; then
how many ran. With N = 0 it is the program's start-up and end alone,
which python.sh takes from the run with N to leave N threads' cost.
"""

import sys
import threading

ran = 0


def work():
    global ran
    ran += 1


n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
for _ in range(n):
    t = threading.Thread(target=work)
    t.start()
    t.join()
print("ran", ran)
