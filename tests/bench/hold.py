"""hold.py: the Python reference for the memory part of
tests/bench/startup.sh.

    python3 hold.py N

Starts N threading.Thread threads (the default stack size) that wait on one
Event, prints "ready" once all have started, then waits for its stdin to
end, lets them go and joins them. The benchmark reads VmRSS and VmHWM from
/proc while they wait, as it does for weft with N live thread workers.
Written for the benchmark, not part of weft.
"""

import sys
import threading


def main():
    try:
        n = int(sys.argv[1]) if len(sys.argv) == 2 else -1
    except ValueError:
        n = -1
    if n < 0:
        sys.exit("usage: hold.py N")
    gate = threading.Event()
    threads = [threading.Thread(target=gate.wait) for _ in range(n)]
    for t in threads:
        t.start()
    print("ready", flush=True)
    sys.stdin.read()
    gate.set()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
