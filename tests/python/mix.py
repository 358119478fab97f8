import threading
import multiprocessing

def print_numbers():
    for i in range(1, 4):
        print(i)

def print_letters():
    for letter in "abc":
        print(letter)

if __name__ == "__main__":
    t = threading.Thread(target=print_numbers)
    p = multiprocessing.Process(target=print_letters)
    t.start()
    p.start()
    t.join()
    p.join()
    print("done")
