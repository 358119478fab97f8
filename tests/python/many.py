# 200 threads started and joined one after another, then 20 at once:
# every start and every join is a request to weft's main loop, and none
# may be lost (a join reads the rings, where the next request's call may
# already be).
import threading

done = []


def work(i):
    done.append(i)


for i in range(200):
    t = threading.Thread(target=work, args=(i,))
    t.start()
    t.join()
batch = [threading.Thread(target=work, args=(i,)) for i in range(20)]
for t in batch:
    t.start()
for t in batch:
    t.join()
print("done", len(done), sorted(done) == sorted(list(range(200)) + list(range(20))))
