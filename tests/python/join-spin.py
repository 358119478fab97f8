# main waits in a join for a thread that never ends: Ctrl-C cannot reach
# it until the join returns (it takes effect at main's next line).
import threading


def spin():
    while True:
        pass


t = threading.Thread(target=spin, name="looper")
t.start()
t.join()
print("joined at last")
