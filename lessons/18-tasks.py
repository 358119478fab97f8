# The task primes of lesson 18, written in weft's task language, as the
# target of Python threads: one after the other, then two at once. (Run
# it from the lesson, which defines primes: python3 has no such task.)
import threading
import time

LIMIT = 40000

start = time.perf_counter()
first = threading.Thread(target=primes, args=(LIMIT, 0, 0))
first.start()
first.join()
second = threading.Thread(target=primes, args=(LIMIT, 0, 0))
second.start()
second.join()
print(f"one after the other: {time.perf_counter() - start:.2f} s")

start = time.perf_counter()
task1 = threading.Thread(target=primes, args=(LIMIT, 0, 0))
task2 = threading.Thread(target=primes, args=(LIMIT, 0, 0))
task1.start()
task2.start()
task1.join()
task2.join()
print(f"two threads: {time.perf_counter() - start:.2f} s")
