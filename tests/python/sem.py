import threading
import multiprocessing

slots = threading.Semaphore(2)
bounded = threading.BoundedSemaphore(1)
gate = threading.Barrier(3)

def use(name):
    with slots:
        print(name, "in")
    i = gate.wait()
    print(name, "past the barrier")

ts = [threading.Thread(target=use, args=("w%d" % k,)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(slots, gate)
print(bounded.acquire(), bounded.acquire(False), bounded.acquire(timeout=0.05))
bounded.release()
try:
    bounded.release()
except ValueError as e:
    print("error:", e)
ps_sem = multiprocessing.Semaphore(0)
def give():
    ps_sem.release()
p = multiprocessing.Process(target=give)
p.start()
print("took", ps_sem.acquire())
p.join()
