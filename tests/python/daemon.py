# Daemon workers do not keep the program alive: once main and the other
# workers have ended, weft stops them, as python3 does when it leaves.
import multiprocessing
import threading
import time


def forever():
    while True:
        time.sleep(0.01)


def finite():
    time.sleep(0.2)
    print("finite done")


threading.Thread(target=forever, name="bg", daemon=True).start()
p = multiprocessing.Process(target=forever, name="bgp", daemon=True)
p.start()
threading.Thread(target=finite, name="fg").start()
print("main done")
