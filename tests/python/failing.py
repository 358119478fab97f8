# An exception ends its thread failed, with its line; main goes on, then
# fails itself: a traceback, status 1.
import threading


def bad():
    print("about to fail")
    return 1 / 0


t = threading.Thread(target=bad)
t.start()
t.join()
print("main goes on")
undefined_name + 1
