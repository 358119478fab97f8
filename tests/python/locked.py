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
