# The same CPU-bound work, done twice: one call after the other, then on
# two threads, then on two processes. The program says how long each
# took, as time.perf_counter measures it (wall-clock time). The first
# argument, if any, is how far to count (python3 18-speed.py 200000).
import multiprocessing
import sys
import threading
import time


def count_primes(limit):
    # Only arithmetic: nothing to sleep or wait for.
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n and n % d != 0:
            d += 1
        if d * d > n:
            count += 1
    print(count, "primes below", limit)


LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 40000

if __name__ == "__main__":
    start = time.perf_counter()
    count_primes(LIMIT)
    count_primes(LIMIT)
    print(f"one after the other: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    thread1 = threading.Thread(target=count_primes, args=(LIMIT,))
    thread2 = threading.Thread(target=count_primes, args=(LIMIT,))
    thread1.start()
    thread2.start()
    thread1.join()
    thread2.join()
    print(f"two threads: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    process1 = multiprocessing.Process(target=count_primes, args=(LIMIT,))
    process2 = multiprocessing.Process(target=count_primes, args=(LIMIT,))
    process1.start()
    process2.start()
    process1.join()
    process2.join()
    print(f"two processes: {time.perf_counter() - start:.2f} s")
