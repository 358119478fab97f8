import threading

items = []
cond = threading.Condition()
ready = threading.Event()

def consumer():
    ready.wait()
    with cond:
        while not items:
            cond.wait()
        print("got", items.pop())

def producer():
    ready.set()
    with cond:
        items.append(42)
        cond.notify()

c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print(cond, ready)
