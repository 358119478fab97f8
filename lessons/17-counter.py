# Two threads each add 1 to the global counter, three times: six
# updates in all, so main should print counter = 6.
import threading

counter = 0


def work():
    global counter
    for i in range(3):
        counter += 1


t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
t1.join()
t2.join()
print("counter =", counter)
