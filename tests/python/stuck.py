import threading
never = threading.Semaphore(0)
def wait_forever():
    never.acquire()
t = threading.Thread(target=wait_forever)
t.start()
t.join()
