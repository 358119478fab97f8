#!/bin/sh
# export.sh: `export FILE.json` and `--trace-json FILE` write the trace as
# Chrome trace-event JSON that a real JSON parser (python3's) reads, for
# any text a worker printed (quotes, backslashes, control characters,
# UTF-8, invalid bytes); one named track per worker (thread_name, and
# process_name for a process), each worker's life as one span, every
# output line as an instant event with its text, a lock wait as a span,
# and a wait seen both at the worker's gate and in the mutex as one span;
# a sleep on an object as a span, and an arrow (flow events) from each
# wake to the end of the sleep it ended, on the woken worker's track, and
# from each put to the get that took its value from the queue.
set -u
: "${WEFT:?}"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

printf 'task weird {\n    print "q\\"b\\\\s\\tt" "caf\303\251" "bad\377byte"\n}\n' >"$tmp/s.weft"
cat >>"$tmp/s.weft" <<'EOT'
task hold {
    lock m
    print "held"
    unlock m
}
task want {
    lock m
    print "got it"
    unlock m
}
spawn thread t1 weird
spawn process p1 print_numbers
spawn thread h1 hold
spawn process h2 want
start t1 p1
# h1 takes m and is held there; h2 then waits for m in the mutex (join
# returns, failing, once it sees that wait); run h1 lets both go on.
pause h1
start h1
step h1
start h2
join h2
run h1
join all
EOT
printf '%s\n' "export $tmp/a.json" >>"$tmp/s.weft"
"$WEFT" --no-time --keep-going --trace-json "$tmp/b.json" "$tmp/s.weft" >"$tmp/out" 2>&1
if [ $? != 1 ] || ! grep -q "join would wait forever: 'h2' waits for 'm', held by 'h1'" "$tmp/out"; then
	echo "FAIL: weft failed:"
	cat "$tmp/out"
	exit 1
fi
grep -q "^main: [0-9]* events written to $tmp/a.json" "$tmp/out" || {
	echo "FAIL: export did not say what it wrote:"
	cat "$tmp/out"
	exit 1
}
for f in a b; do
	python3 - "$tmp/$f.json" <<'EOT' || exit 1
import json, sys
path = sys.argv[1]
with open(path, "rb") as f:
    raw = f.read()
d = json.loads(raw.decode("utf-8"))     # valid UTF-8 and valid JSON
ev = d["traceEvents"]
def fail(msg):
    print("FAIL: %s: %s" % (path, msg)); sys.exit(1)
names = {}
for e in ev:
    if e["ph"] == "M":
        names.setdefault(e["name"], []).append(e["args"]["name"])
for w in ("t1", "p1", "h1", "h2"):
    if w not in names.get("thread_name", []):
        fail("no thread_name track for " + w)
for w in ("p1", "h2"):
    if w not in names.get("process_name", []):
        fail("no process_name for process " + w)
track = {}
for e in ev:
    if e["ph"] == "M" and e["name"] == "thread_name":
        track[(e["pid"], e["tid"])] = e["args"]["name"]
def outputs(w):
    return [e["args"]["text"] for e in ev if e["ph"] == "i" and
            e["name"] == "output" and track.get((e["pid"], e["tid"])) == w]
if outputs("t1") != ['q"b\\s\tt caf\u00e9 bad\ufffdbyte']:
    fail("t1's text came out as %r" % outputs("t1"))
if outputs("p1") != ["1", "2", "3", "4", "5"]:
    fail("p1's lines came out as %r" % outputs("p1"))
for w in ("t1", "p1", "h1", "h2"):
    spans = [e for e in ev if e["ph"] == "X" and e["name"] == w]
    if len(spans) != 1 or spans[0]["dur"] < 0:
        fail("%s has %d life spans" % (w, len(spans)))
    if track.get((spans[0]["pid"], spans[0]["tid"])) != w:
        fail("%s's span is not on its track" % w)
waits = [e for e in ev if e["ph"] == "X" and e["name"] == "lock wait"]
if len(waits) != 1 or track.get((waits[0]["pid"], waits[0]["tid"])) != "h2":
    fail("lock waits: %r" % waits)
if waits[0]["dur"] < 0:
    fail("the lock wait lasted %s us" % waits[0]["dur"])
EOT
done

# A wait is seen twice: foreseen while the worker is held at its gate
# before a `lock` of a held lock, then told by the worker once it is let
# go and really waits. It is one wait, one span: ten times over, as the
# second sighting used to be traced again now and then.
printf 'task hold { lock m; print "held"; unlock m }\n' >"$tmp/w.weft"
printf 'task want { lock m; print "got it"; unlock m }\n' >>"$tmp/w.weft"
for i in 0 1 2 3 4 5 6 7 8 9; do
	printf '%s\n' "spawn thread a$i hold" "spawn process b$i want" \
		"pause a$i b$i" "start a$i" "step a$i" "start b$i" "run b$i" \
		"sleep 20" "run a$i" "join a$i b$i" >>"$tmp/w.weft"
done
printf '%s\n' "export $tmp/w.json" >>"$tmp/w.weft"
"$WEFT" --no-time "$tmp/w.weft" >"$tmp/out" 2>&1 || {
	echo "FAIL: weft failed:"
	cat "$tmp/out"
	exit 1
}
python3 - "$tmp/w.json" <<'EOT' || exit 1
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
track = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev
         if e["ph"] == "M" and e["name"] == "thread_name"}
waits = sorted(track.get((e["pid"], e["tid"])) for e in ev
               if e["ph"] == "X" and e["name"] == "lock wait")
want = ["b%d" % i for i in range(10)]
if waits != want:
    print("FAIL: lock wait spans by worker: %r, not %r" % (waits, want))
    sys.exit(1)
EOT

# A thread and a process pass values through a queue of one cell, then
# the process signals a semaphore the thread waits on. The sleeps make
# each side wait for the other once: p's first get (t has not put yet),
# t's third put (the cell is full, p sleeps), t's wait (p has not
# signalled yet); each ends by a wake, which traces whom it woke.
cat >"$tmp/q.weft" <<'EOT'
queue q 1
semaphore done 0
task producer {
    sleep 300
    put q 1
    put q 2
    put q 3
    wait done
    print "done"
}
task consumer {
    get q a
    sleep 300
    get q b
    get q c
    print a b c
    sleep 300
    signal done
}
spawn thread t producer
spawn process p consumer
start t p
join t p
EOT
printf '%s\n' "export $tmp/qa.json" >>"$tmp/q.weft"
"$WEFT" --no-time --trace-json "$tmp/qb.json" "$tmp/q.weft" >"$tmp/out" 2>&1 || {
	echo "FAIL: weft failed:"
	cat "$tmp/out"
	exit 1
}
for f in qa qb; do
	python3 - "$tmp/$f.json" "$tmp/out" <<'EOT' || exit 1
import json, re, sys
path = sys.argv[1]
ev = json.load(open(path))["traceEvents"]
said = open(sys.argv[2]).read().splitlines()
def fail(msg):
    print("FAIL: %s: %s" % (path, msg))
    print("weft said:\n" + "\n".join(said))
    sys.exit(1)
track = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev
         if e["ph"] == "M" and e["name"] == "thread_name"}
def on(e):
    return track.get((e["pid"], e["tid"]))
# The sleeps the tracer told, by worker, and whom each wake woke.
told = {}
woke = []
for line in said:
    m = re.match(r"(\w+): waits on (.*)", line)
    if m:
        told.setdefault(m.group(1), []).append(m.group(2))
    m = re.match(r"(\w+): (put|get|signal) \w+ wakes (\w+)$", line)
    if m:
        woke.append((m.group(1), m.group(3)))
if told != {"p": ["queue q"], "t": ["queue q", "semaphore done"]}:
    fail("the sleeps told: %r" % told)
if sorted(woke) != [("p", "t"), ("p", "t"), ("t", "p")]:
    fail("the wakes told: %r" % woke)
# A span per sleep, on its worker's track, within its life.
spans = {}
for e in ev:
    if e["ph"] == "X" and e["name"] == "sync wait":
        spans.setdefault(on(e), []).append(e)
got = {w: [e["args"]["what"][len("waits on "):] for e in v]
       for w, v in spans.items()}
if got != told:
    fail("sync wait spans by worker: %r, not %r" % (got, told))
for w, v in spans.items():
    life = [e for e in ev if e["ph"] == "X" and e["name"] == w][0]
    for e in v:
        if e["dur"] <= 0 or e["ts"] < life["ts"] or \
           e["ts"] + e["dur"] > life["ts"] + life["dur"] + 0.002:
            fail("%s's sleep %r is not within its life %r" % (w, e, life))
# An arrow per wake: its start on the waker's track at the wake, its end
# with the same id, cat and name on the woken's, where a sleep of the
# woken ends.
starts = [e for e in ev if e["ph"] == "s"]
ends = {}
for e in ev:
    if e["ph"] == "f":
        if e["id"] in ends:
            fail("two flow ends with id %r" % e["id"])
        ends[e["id"]] = e
# Wakes and wake-ups, puts and gets, are matched by tickets, whatever
# order their records came in: an arrow for every wake, exactly.
puts = [s for s in starts if s["name"] == "put q"]
starts = [s for s in starts if s["name"] != "put q"]
if len(starts) + len(puts) != len(ends) or len(starts) != len(woke):
    fail("%d flow starts, %d ends, for %d wakes" %
         (len(starts), len(ends), len(woke)))
# Of the three values, the first went straight to p asleep (a wake); the
# other two went through the queue: an arrow from t's put (or, when t
# slept on a full queue, from the start of that sleep) to p's get.
if len(puts) != 2:
    fail("%d arrows from a put, not 2" % len(puts))
def slice_at(name, who, ts):
    return any(e["ph"] == "X" and e["name"] == name and on(e) == who and
               abs(e["ts"] - ts) < 0.002 for e in ev)
for s in puts:
    f = ends.get(s["id"])
    if f is None or f.get("bp") != "e" or f["name"] != "put q":
        fail("put arrow %r has no matching end" % s)
    if on(s) != "t" or on(f) != "p":
        fail("put arrow from %s to %s, not t to p" % (on(s), on(f)))
    if not (slice_at("put q", "t", s["ts"]) or
            slice_at("sync wait", "t", s["ts"])):
        fail("put arrow %r starts at no put of t" % s)
    if not slice_at("get q", "p", f["ts"]) or f["ts"] < s["ts"]:
        fail("put arrow %r ends at no get of p after it" % f)
arrows = []
for s in starts:
    f = ends.get(s["id"])
    if f is None:
        fail("flow %r has no end" % s)
    if f.get("bp") != "e" or f["cat"] != s["cat"] or f["name"] != s["name"]:
        fail("flow end %r does not match its start %r" % (f, s))
    m = re.match(r"\w+ \w+ wakes (\w+)$", s["name"])
    if m is None or on(f) != m.group(1):
        fail("flow %r ends on %s's track" % (s["name"], on(f)))
    if not any(i["ph"] == "i" and i["name"] == s["name"] and
               on(i) == on(s) and i["ts"] == s["ts"] for i in ev):
        fail("flow %r does not start at its wake" % s)
    if not any(abs(e["ts"] + e["dur"] - f["ts"]) < 0.002
               for e in spans.get(on(f), [])):
        fail("flow %r does not end where a sleep of %s ends" %
             (s["name"], on(f)))
    arrows.append((on(s), on(f)))
left = list(woke)
for a in arrows:
    if a not in left:
        fail("arrows %r, wakes %r" % (arrows, woke))
    left.remove(a)
EOT
done
exit 0
