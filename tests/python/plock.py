import multiprocessing

lock = multiprocessing.Lock()

def work(name):
    for i in range(2):
        with lock:
            print(name, i)

if __name__ == "__main__":
    p1 = multiprocessing.Process(target=work, args=("p1",))
    p2 = multiprocessing.Process(target=work, args=("p2",))
    p1.start()
    p2.start()
    p1.join()
    p2.join()
