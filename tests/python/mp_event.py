# multiprocessing.Event and Condition: weft's, seen by a process.
import multiprocessing as mp


def waiter(e, c, flag):
    e.wait()
    print("event seen")
    with c:
        c.wait_for(lambda: flag.value == 1)
    print("condition seen")


if __name__ == '__main__':
    e = mp.Event()
    c = mp.Condition()
    flag = mp.Value('i', 0)
    w = mp.Process(target=waiter, args=(e, c, flag))
    w.start()
    e.set()
    with c:
        flag.value = 1
        c.notify_all()
    w.join()
    print("exit", w.exitcode, e.is_set())
