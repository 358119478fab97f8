# A thread that never ends: weft stops it at the end (a quit, a signal).
import threading


def spin():
    n = 0
    while True:
        n += 1


threading.Thread(target=spin, name="spinner").start()
print("spinning")
