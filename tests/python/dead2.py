import threading
import time

fork1 = threading.Lock()
fork2 = threading.Lock()

def left():
    with fork1:
        time.sleep(0.2)
        with fork2:
            print("left eats")

def right():
    with fork2:
        time.sleep(0.2)
        with fork1:
            print("right eats")

a = threading.Thread(target=left)
b = threading.Thread(target=right)
a.start()
b.start()
a.join()
b.join()
