"""life.py: the Python baselines for tests/bench/lifecycle.sh.

    python3 life.py thread N    threading.Thread(target=f).start(); .join()
    python3 life.py process N   multiprocessing.Process(target=f).start();
                                .join(), with the default start method

N times, one after the other; f does nothing. This is what a learner
would write after the tutorial. Prints "life.py <mode> <N> <seconds>",
timed with the monotonic clock around the loop only, so that the
interpreter's start-up is left out as the benchmark leaves out weft's.
Written for the benchmark, not part of weft.
"""

import multiprocessing
import sys
import threading
import time


def nothing():
    pass


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("thread", "process"):
        sys.exit("usage: life.py thread|process N")
    mode = sys.argv[1]
    try:
        n = int(sys.argv[2])
    except ValueError:
        n = -1
    if n < 0:
        sys.exit("life.py: N is a whole number from 0, not %r" % sys.argv[2])
    make = threading.Thread if mode == "thread" else multiprocessing.Process
    t0 = time.monotonic()
    for _ in range(n):
        w = make(target=nothing)
        w.start()
        w.join()
        # A process that did not end well means the measurement is wrong.
        if mode == "process" and w.exitcode != 0:
            sys.exit("life.py: a process ended with exitcode %r" % w.exitcode)
    t1 = time.monotonic()
    print("life.py %s %d %.6f" % (mode, n, t1 - t0))


if __name__ == "__main__":
    main()
