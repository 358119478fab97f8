# queue.Queue between threads: weft's queue, any object through it.
import queue
import threading

q = queue.Queue(2)
results = queue.Queue()

def producer():
    for item in [1, "two", [3, 3], None]:
        q.put(item)
    q.put("stop")

def consumer():
    while True:
        item = q.get()
        if item == "stop":
            break
        results.put(item)
        q.task_done()

p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
c.start()
p.join()
c.join()
out = []
while not results.empty():
    out.append(results.get_nowait())
print(out, q, results)
try:
    results.get(timeout=0.05)
except queue.Empty:
    print("empty")
small = queue.Queue(1)
small.put(1)
try:
    small.put(2, block=False)
except queue.Full:
    print("full")
