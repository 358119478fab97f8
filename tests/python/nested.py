# A Process that makes objects of its own (Python's) and starts a thread
# of its own (refused: only main starts workers).
import multiprocessing
import threading


def inner():
    print("inner")


def child():
    s = threading.Semaphore(1)
    with s:
        print("child's semaphore", type(s).__module__)
    t = threading.Thread(target=inner)
    t.start()


if __name__ == '__main__':
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    print("done", p.exitcode)
