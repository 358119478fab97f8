"""tutorial_processes.py: the Python tutorial's second example, for
tests/bench/tutorial.sh: the first one with multiprocessing.Process (the
default start method) in place of threading.Thread. As there, the
tutorial's sleeps are left out, as weft's tasks do not sleep.
"""

import multiprocessing


def print_numbers():
    for i in range(1, 6):
        print(i)


def print_letters():
    for letter in "abcde":
        print(letter)


if __name__ == "__main__":
    process1 = multiprocessing.Process(target=print_numbers)
    process2 = multiprocessing.Process(target=print_letters)

    process1.start()
    process2.start()

    process1.join()
    process2.join()
