import threading
import multiprocessing

lock = threading.Lock()
rlock = threading.RLock()
plock = multiprocessing.Lock()
total = multiprocessing.Value('i', 0)

def make_local():
    lock = threading.Lock()
    return lock

other = make_local()
print(lock, other)
print(lock.acquire(), lock.locked(), lock.acquire(False), lock.acquire(timeout=0.05))
lock.release()
try:
    lock.release()
except RuntimeError as e:
    print("error:", e)
with rlock:
    with rlock:
        print("rlock twice:", rlock._count)

def add():
    for i in range(50):
        with plock:
            total.value += 1

ps = [multiprocessing.Process(target=add) for i in range(3)]
for p in ps:
    p.start()
for p in ps:
    p.join()
print("total", total.value)

def take_twice():
    with lock:
        lock.acquire()

t = threading.Thread(target=take_twice)
t.start()
t.join()
