# Python's assert in a worker: it fails with the message and its line,
# as explore (issue 17) counts a failed worker.
import threading

seats = 1


def book():
    global seats
    if seats > 0:
        seats -= 1
    assert seats >= 0, "oversold"


def oversell():
    global seats
    seats -= 2
    assert seats >= 0, "oversold"


t = threading.Thread(target=book)
t.start()
t.join()
u = threading.Thread(target=oversell)
u.start()
u.join()
print("seats", seats)
