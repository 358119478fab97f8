import threading

ping = threading.Semaphore(0)
pong = threading.Semaphore(0)

def a():
    for i in range(2):
        print("ping", i)
        ping.release()
        pong.acquire()

def b():
    for i in range(2):
        ping.acquire()
        print("pong", i)
        pong.release()

ta = threading.Thread(target=a)
tb = threading.Thread(target=b)
ta.start()
tb.start()
ta.join()
tb.join()
