# 17-counter.py with a lock: each counter += 1 is done holding lock, so
# the other thread cannot read counter until this one has written it.
import threading

counter = 0
lock = threading.Lock()


def work():
    global counter
    for i in range(3):
        with lock:
            counter += 1


t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
t1.join()
t2.join()
print("counter =", counter)
