# Popen's side of a Process: terminate() sends SIGTERM, join() waits,
# exitcode is minus the signal, is_alive() turns False.
import multiprocessing
import time


def forever():
    while True:
        time.sleep(0.01)


p = multiprocessing.Process(target=forever)
p.start()
print("alive", p.is_alive(), p.pid > 0)
p.terminate()
p.join()
print("after", p.is_alive(), p.exitcode)
