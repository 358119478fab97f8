# multiprocessing and queue are imported when the program imports them,
# not before, and are weft's then; neither are the modules weft needs
# only for stepping and the prompt (a program's start does not pay for
# them).
import sys
print("multiprocessing" in sys.modules)
print([m for m in ("queue", "dis", "codeop", "linecache", "importlib.abc")
       if m in sys.modules])
import multiprocessing
print(multiprocessing.Process.start.__module__, multiprocessing.Lock.__qualname__)
import queue
print(queue.Queue.__module__, queue.Queue.__new__.__qualname__)
