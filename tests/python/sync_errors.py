# The errors of Python's objects made weft's, as Python words them.
import threading

cond = threading.Condition()
for call in (cond.wait, cond.notify):
    try:
        call()
    except RuntimeError as e:
        print("error:", e)
with cond:
    try:
        cond.wait(0.1)
    except RuntimeError as e:
        print("error:", e)
barrier = threading.Barrier(2)
try:
    barrier.abort()
except NotImplementedError as e:
    print("error:", e)
sem = threading.Semaphore(1)
try:
    sem.acquire(False, 1)
except ValueError as e:
    print("error:", e)
try:
    threading.Semaphore(-1)
except ValueError as e:
    print("error:", e)
