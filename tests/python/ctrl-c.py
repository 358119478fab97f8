# main counts for ever, printing now and then; a thread spins for ever.
import threading


def spin():
    while True:
        pass


threading.Thread(target=spin, name="spinner").start()
n = 0
while True:
    n += 1
    if n % 200000 == 0:
        print("still going", n)
