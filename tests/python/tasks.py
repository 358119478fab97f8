# weft's own tasks as targets, where the program defines no such function.
import multiprocessing
import threading

t = threading.Thread(target=print_numbers)
p = multiprocessing.Process(target=print_letters)
t.start()
p.start()
t.join()
p.join()
print("process exit code", p.exitcode)
