# multiprocessing.Queue: weft's queue, any picklable object, between
# processes.
import multiprocessing as mp
import queue


def producer(q):
    for i in range(3):
        q.put(i)
    q.put({'done': [1, 2]})
    q.put("a string longer than thirty-one bytes, to be pickled")


def consumer(q):
    for _ in range(5):
        print("got", q.get())


if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    c = mp.Process(target=consumer, args=(q,))
    p.start()
    c.start()
    p.join()
    c.join()
    print("empty", q.empty())
    q.put(('tuple', 1))
    print(q.get())
    small = mp.Queue(1)
    small.put_nowait(1)
    try:
        small.put_nowait(2)
    except queue.Full:
        print("full")
    try:
        q.get(timeout=0.01)
    except queue.Empty:
        print("empty again")
