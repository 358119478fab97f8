# A thread shares the program's globals; a process changes its own copy.
import multiprocessing
import threading

counter = 0


def add():
    global counter
    for _ in range(1000):
        counter += 1
    print("sees", counter)


t = threading.Thread(target=add)
t.start()
t.join()
print("after thread", counter)
p = multiprocessing.Process(target=add)
p.start()
p.join()
print("after process", counter)
