# multiprocessing.Value: weft's shared variables, shared with processes.
import ctypes
from multiprocessing import Process, Value, RawValue


def add(counter, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1


if __name__ == '__main__':
    counter = Value('i', 0)
    small = Value(ctypes.c_ubyte, 250)
    small.value += 10          # wraps as a ctypes byte does
    raw = RawValue('q', -5)
    workers = [Process(target=add, args=(counter, 300)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter", counter.value, "small", small.value, "raw", raw.value)
    ratio = Value('d', 1.5)    # not an integer: Python's own
    print("ratio", ratio.value)
    try:
        raw.get_lock()
    except AttributeError:
        print("raw has no lock")
