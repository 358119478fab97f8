"""mpqueue.py N: the Python baseline of tests/bench/sync.sh: two processes
pass the integers 1..N through a multiprocessing.Queue, one put and one get
each; prints the seconds from the first put to the last get. Written for
the benchmark, not part of weft."""
import multiprocessing
import sys
import time


def consume(q, n, out):
    total = 0
    for _ in range(n):
        total += q.get()
    out.put(total)


def main():
    n = int(sys.argv[1])
    q = multiprocessing.Queue()
    out = multiprocessing.Queue()
    c = multiprocessing.Process(target=consume, args=(q, n, out))
    c.start()
    t0 = time.monotonic()
    for i in range(1, n + 1):
        q.put(i)
    total = out.get()
    t1 = time.monotonic()
    c.join()
    if total != n * (n + 1) // 2:
        sys.exit("mpqueue.py: the values do not add up")
    print("mpqueue %d %.6f" % (n, t1 - t0))


if __name__ == "__main__":
    main()
