# The tutorial's page as written: two threads, then two processes, each
# started and joined (its sleeps shortened).
import multiprocessing
import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(0.01)
        print(i)


def print_letters():
    for letter in "abcde":
        time.sleep(0.01)
        print(letter)


thread1 = threading.Thread(target=print_numbers)
thread2 = threading.Thread(target=print_letters)
thread1.start()
thread2.start()
thread1.join()
thread2.join()

if __name__ == "__main__":
    process1 = multiprocessing.Process(target=print_numbers)
    process2 = multiprocessing.Process(target=print_letters)
    process1.start()
    process2.start()
    process1.join()
    process2.join()
    print("exit codes", process1.exitcode, process2.exitcode)
    print("alive", thread1.is_alive(), process1.is_alive())
