# The beginner's tutorial page: print_numbers and print_letters on two
# threads, started and joined; then the same on two processes. (The page
# sleeps a second before each print; a hundredth is enough here.)
import threading
import multiprocessing
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(0.01)
        print(i)


def print_letters():
    for letter in "abcde":
        time.sleep(0.01)
        print(letter)


if __name__ == "__main__":
    thread1 = threading.Thread(target=print_numbers)
    thread2 = threading.Thread(target=print_letters)
    thread1.start()
    thread2.start()
    thread1.join()
    thread2.join()

    process1 = multiprocessing.Process(target=print_numbers)
    process2 = multiprocessing.Process(target=print_letters)
    process1.start()
    process2.start()
    process1.join()
    process2.join()
