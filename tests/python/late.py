# main ends first; weft waits for the thread still running, as python3.
import threading
import time


def slow():
    time.sleep(0.2)
    print("late but here")


threading.Thread(target=slow).start()
print("main done")
