# Workers are named by name=, else by the variable; a name taken twice
# gets _2, _3. Python's own names and current_thread() are Python's.
import threading


def who():
    print("I am", threading.current_thread().name)


named = threading.Thread(target=who, name="worker-one")
named.start()
named.join()
for i in range(3):
    t = threading.Thread(target=who)
    t.start()
    t.join()
