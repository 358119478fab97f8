"""tutorial_threads.py: the Python tutorial's first example, for
tests/bench/tutorial.sh: two threads, one printing 1 to 5, one a to e,
started and joined. The tutorial sleeps between prints; that is left out
here, as weft's print_numbers and print_letters do not sleep, so that the
benchmark measures the tools and not the sleeps.
"""

import threading


def print_numbers():
    for i in range(1, 6):
        print(i)


def print_letters():
    for letter in "abcde":
        print(letter)


thread1 = threading.Thread(target=print_numbers)
thread2 = threading.Thread(target=print_letters)

thread1.start()
thread2.start()

thread1.join()
thread2.join()
