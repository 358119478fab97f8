# multiprocessing is imported when the program imports it, not before,
# and is weft's then.
import sys
print("multiprocessing" in sys.modules)
import multiprocessing
print(multiprocessing.Process.start.__module__, multiprocessing.Lock.__qualname__)
