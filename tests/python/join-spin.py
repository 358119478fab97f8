# main waits in a join for a thread that never ends: Ctrl-C raises
# KeyboardInterrupt in the join, as python3 does; the thread goes on.
import threading


def spin():
    while True:
        pass


t = threading.Thread(target=spin, name="looper")
t.start()
t.join()
print("joined at last")
