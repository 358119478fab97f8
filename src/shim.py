# shim.py: the Python side of weft's CPython support, run once when the
# interpreter starts, as the module _weft_shim (weft's binary holds it as
# a string: src/shim.inc is made from this file). It makes Python's
# threading, multiprocessing, queue and time ask weft (the module _weft,
# src/pyrun.c): their threads, processes and objects are weft's.
import builtins, sys, threading, time
import _weft
class Task:
    # One of weft's own tasks, as a Thread's target.
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return '<weft task %s>' % self.name
    def __call__(self, *args, **kwargs):
        raise TypeError('%s is a weft task: it runs on a worker, as '
                        'threading.Thread(target=%s)' % (self.name,
                        self.name))
_init = threading.Thread.__init__
def __init__(self, group=None, target=None, name=None, *a, **kw):
    _init(self, group, target, name, *a, **kw)
    self._weft_named = name is not None
    self._weft_task = None
    # main runs on a thread of weft's, a dummy to Python, whose
    # daemon flag its threads would inherit: python3's main thread
    # is not a daemon.
    if kw.get('daemon') is None and isinstance(
            threading.current_thread(), threading._DummyThread):
        self._daemonic = False
def pinit(self, group=None, target=None, name=None, *a, **kw):
    _pinit(self, group, target, name, *a, **kw)
    self._weft_named = name is not None
def _weft_name(self, frame):
    if getattr(self, '_weft_named', False):
        return self._name
    for scope in (frame.f_locals, frame.f_globals):
        for k, v in list(scope.items()):
            if v is self and not k.startswith('_'):
                return k
    return self._name
def start(self):
    if not self._initialized:
        raise RuntimeError('thread.__init__() not called')
    if self._started.is_set():
        raise RuntimeError('threads can only be started once')
    name = _weft_name(self, sys._getframe(1))
    if isinstance(self._target, Task):
        self._weft_task = _weft.start_task('thread', name,
            self._target.name, [str(a) for a in self._args])
        self._weft_label = name
        self._started.set()
        return
    with threading._active_limbo_lock:
        threading._limbo[self] = self
    try:
        self._weft_label, self._weft_id = _weft.start_thread(self,
            name, self.daemon)
    except BaseException:
        with threading._active_limbo_lock:
            threading._limbo.pop(self, None)
        raise
    self._started.wait()
_join = threading.Thread.join
def join(self, timeout=None):
    if self._weft_task is not None:
        if not self._started.is_set():
            raise RuntimeError('cannot join thread before it is started')
        if timeout is None:
            _weft.await_end(self._weft_task,
                            self._weft_label + ' has ended')
        try:
            _weft.join(self._weft_task, timeout)
        finally:
            _weft.await_done()
        return
    if timeout is None and getattr(self, '_weft_id', None) is not None:
        _weft.await_end(self._weft_id, self._weft_label + ' has ended')
    try:
        _join_looking(self, timeout)
    finally:
        _weft.await_done()
    if self._ident is not None and not self.is_alive():
        _weft.joined(self._ident)
def _join_looking(self, timeout):
    # Thread.join, which in main looks for Ctrl-C every 50 ms: python3's
    # join is cut short by it, with KeyboardInterrupt.
    if timeout is not None and timeout <= 0.05:
        return _join(self, timeout)
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        left = 0.05 if end is None else min(0.05, end - time.monotonic())
        _join(self, max(left, 0))
        if not _is_alive(self) or (end is not None and
                                   time.monotonic() >= end):
            return
        _weft.interrupted()
_is_alive = threading.Thread.is_alive
def is_alive(self):
    if self._weft_task is not None:
        return _weft.alive(self._weft_task)
    return _is_alive(self)
threading.Thread.__init__ = __init__
threading.Thread.start = start
threading.Thread.join = join
threading.Thread.is_alive = is_alive
program = None
def is_own(filename):
    # The program's own code: its file, or lines typed at the prompt.
    return filename == program or filename.startswith('<prompt ')
def _what(exc_type, exc_value, tb):
    # The exception, and the line of the program it came from: the
    # innermost of the program's own, else the innermost (not weft's
    # own, this file's, which the learner never wrote).
    line = own = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename != '<weft>':
            line = tb.tb_lineno
        if is_own(tb.tb_frame.f_code.co_filename):
            own = line
        tb = tb.tb_next
    if own is not None:
        line = own
    what = exc_type.__name__
    if str(exc_value):
        what += ': ' + str(exc_value)
    if line is not None:
        what += ' (line %d)' % line
    return what
def _hook(args):
    if args.exc_type is not SystemExit:
        _weft.failed(_what(args.exc_type, args.exc_value,
                           args.exc_traceback))
threading.excepthook = _hook
class _Popen:
    # A Process's side of weft's worker: Python's Popen API.
    def __init__(self, wid, pid, label):
        self._id, self.pid, self.returncode = wid, pid, None
        self._label = label
        self._joined = False
        self.sentinel = None
    def poll(self, flag=None):
        if self.returncode is None:
            self.returncode = _weft.exitcode(self._id)
        return self.returncode
    def wait(self, timeout=None):
        # is_alive() or exitcode may have seen the end already (poll):
        # the join is still to do, as python3's join reaps the child.
        if not self._joined:
            if timeout is None:
                _weft.await_end(self._id, self._label + ' has ended')
            try:
                _weft.join(self._id, timeout)
            finally:
                _weft.await_done()
            self._joined = self.poll() is not None
        return self.poll()
    def terminate(self):
        _weft.kill(self._id, 15)
    def kill(self):
        _weft.kill(self._id, 9)
    def close(self):
        pass
def pstart(self):
    if self._popen is not None:
        raise AssertionError('cannot start a process twice')
    if self._parent_pid != _mpp.os.getpid():
        raise AssertionError('can only start a process object '
                             'created by current process')
    name = _weft_name(self, sys._getframe(1))
    if isinstance(self._target, Task):
        wid = _weft.start_task('process', name, self._target.name,
                               [str(a) for a in self._args])
        pid = _weft.pid(wid)
    else:
        wid, pid, name = _weft.start_process(self, name,
                                             bool(self.daemon))
    self._popen = _Popen(wid, pid, name)
    _mpp._children.add(self)
def process_main(p):
    _mpp._current_process = p
    _mpp._children = set()
    try:
        p.run()
        return 0
    except SystemExit as e:
        if e.code is None:
            return 0
        return e.code if isinstance(e.code, int) else 1
    except BaseException as e:
        _weft.failed(_what(type(e), e, e.__traceback__))
        return -1
time.sleep = _weft.sleep
sys.stdout = _weft.Out()
sys.stderr = _weft.Out()
class _NoInput:
    # The terminal is weft's prompt: a worker reads no input.
    encoding = 'utf-8'
    def _none(self, *args):
        raise OSError('a worker reads no input: the terminal is '
                      'the prompt of weft')
    read = readline = readlines = fileno = _none
    def isatty(self):
        return False
sys.stdin = _NoInput()
# dis, linecache, re, codeop: imported when first needed (a step, a
# line typed at the prompt, an object made), not at every start.
_infos = {}
_LOADS = ('LOAD_NAME', 'LOAD_GLOBAL', 'LOAD_FAST', 'LOAD_DEREF',
          'LOAD_CLASSDEREF')
_STORES = ('STORE_NAME', 'STORE_GLOBAL', 'STORE_FAST', 'STORE_DEREF')
# A Value's value read or written by an instruction (sched unit bytecode):
# the value, by thread, for the step's text.
_VALUE_OPS = ('LOAD_ATTR', 'STORE_ATTR')
_value_seen = threading.local()
# Instructions of CPython's own housekeeping: not a step.
_QUIET = ('RESUME', 'NOP', 'CACHE', 'EXTENDED_ARG', 'PUSH_NULL',
          'PRECALL', 'KW_NAMES', 'COPY_FREE_VARS', 'MAKE_CELL')
def _value(frame, name):
    # A short repr of the plain value NAME has in FRAME, or None.
    for scope in (frame.f_locals, frame.f_globals):
        if name in scope:
            v = scope[name]
            break
    else:
        return None
    if v is not None and type(v) not in (bool, int, float, str,
                                         list, tuple, dict, set):
        return None
    try:
        r = repr(v)
    except Exception:
        return None
    return r if len(r) <= 40 else r[:37] + '...'
def _info(code):
    # CODE's names read on each line, and its instructions by offset.
    info = _infos.get(code)
    if info is None:
        import dis
        reads, ops = {}, {}
        for i in dis.get_instructions(code):
            ops[i.offset] = i
            line = i.positions.lineno if i.positions else None
            if i.opname in _LOADS and line is not None:
                names = reads.setdefault(line, [])
                if i.argval not in names:
                    names.append(i.argval)
        info = _infos[code] = (reads, ops)
    return info
def step_line(frame):
    # A line step's text: the line, and the values it reads.
    import linecache
    code, line = frame.f_code, frame.f_lineno
    text = linecache.getline(code.co_filename, line).strip()
    if not text:
        text = 'line %d' % line
    seen = []
    for name in _info(code)[0].get(line, ()):
        r = _value(frame, name)
        if r is not None:
            seen.append('%s = %s' % (name, r))
    if seen:
        text += '   (' + ', '.join(seen) + ')'
    return text
def step_op(frame):
    # A bytecode step's (text, name it stores to or None); None when
    # the instruction is no step.
    i = _info(frame.f_code)[1].get(frame.f_lasti)
    if i is None or i.opname in _QUIET:
        return None
    arg = i.argrepr
    if arg.startswith('NULL + '):
        arg = arg[7:]
    if hasattr(i.argval, 'co_name'):
        arg = '<code %s>' % i.argval.co_name
    # No address: a seeded run prints the same bytes every time.
    if ' at 0x' in arg:
        import re
        arg = re.sub(' at 0x[0-9a-f]+', '', arg)
    text = i.opname + (' ' + arg if arg else '')
    if i.opname in _LOADS:
        r = _value(frame, i.argval)
        if r is not None:
            text += ' (%s)' % r
    if i.opname in _VALUE_OPS and i.argval == 'value':
        # A Value's read or write: its value told at the step's end.
        _value_seen.v = None
        return (text, '.value')
    return (text, i.argval if i.opname in _STORES else None)
def block_state(src):
    # As python3's prompt: 'done', 'more' (a block goes on) or 'error'.
    import codeop
    try:
        code = codeop.compile_command(src, '<prompt>', 'single')
    except (SyntaxError, OverflowError, ValueError):
        return 'error'
    return 'more' if code is None else 'done'
_WEFT_WORDS = r'[A-Za-z_]\w*(\s+([\w.\-/]+|"[^"]*"|' r"'[^']*'))*$"
def is_python(line):
    # Python, or a mistyped command of weft's: words that are no
    # Python ('stpe t1 2').
    # A line led by a keyword of Python's ('while x', 'import') is
    # Python, its error Python's to tell.
    import codeop, keyword, re
    s = line.strip()
    try:
        codeop.compile_command(s, '<prompt>', 'single')
    except (SyntaxError, OverflowError, ValueError):
        first = re.match(r'[A-Za-z_]\w*', s)
        if first and keyword.iskeyword(first.group(0)):
            return True
        return not re.match(_WEFT_WORDS, s)
    return True
def known(name):
    # A keyword is known too: 'pass' alone is Python's statement.
    import keyword
    return name in sys.modules['__main__'].__dict__ or \
        hasattr(builtins, name) or keyword.iskeyword(name)
_path0 = None
def _first_on_path(d):
    global _path0
    if _path0 is not None and sys.path and sys.path[0] == _path0:
        sys.path.pop(0)
    sys.path.insert(0, d)
    _path0 = d
def fresh_main(path):
    # A program's own __main__, as python3 gives it; its directory
    # first on sys.path.
    import os, types
    m = types.ModuleType('__main__')
    m.__builtins__ = builtins
    sys.modules['__main__'] = m
    _first_on_path(os.path.dirname(os.path.abspath(path)))
def prompt_path():
    # Lines typed at the prompt import from the working directory.
    if _path0 is None:
        _first_on_path('')
def remember(name, src):
    # Lines typed at the prompt, for tracebacks and step lines.
    import linecache
    lines = src.splitlines(True)
    linecache.cache[name] = (len(src), None, lines, name)
def stored(frame, name):
    if name == '.value':
        seen = getattr(_value_seen, 'v', None)
        _value_seen.v = None
        return ' (%d)' % seen if seen is not None else ''
    r = _value(frame, name)
    return ' (%s)' % r if r is not None else ''
def _assigned(frame, default):
    # The name a line like 'lock = threading.Lock()' assigns to.
    import linecache, re
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    m = re.match(r'\s*(?:[\w.]+\.)?(\w+)\s*=[^=]', line)
    return m.group(1) if m else default
class _Lock:
    # The program's Lock: one of weft's locks, which locks shows,
    # whose waits the deadlock check sees and the scheduler steps.
    def __init__(self, index, name):
        self._index, self._name = index, name
    def acquire(self, blocking=True, timeout=-1):
        return _weft.lock_acquire(self._index, self._name,
                                  bool(blocking), float(timeout))
    __enter__ = acquire
    def release(self):
        _weft.lock_release(self._index, self._name)
    def __exit__(self, *exc):
        self.release()
    def locked(self):
        return _weft.lock_held(self._index)
    def __repr__(self):
        return '<weft lock %s, %s>' % (self._name,
            'locked' if self.locked() else 'unlocked')
class _RLock(_Lock):
    _owner, _count = None, 0
    def acquire(self, blocking=True, timeout=-1):
        me = _weft.me()
        if self._owner == me:
            self._count += 1
            return True
        if not _Lock.acquire(self, blocking, timeout):
            return False
        self._owner, self._count = me, 1
        return True
    __enter__ = acquire
    def release(self):
        if self._owner != _weft.me():
            raise RuntimeError('cannot release un-acquired lock')
        self._count -= 1
        if self._count == 0:
            self._owner = None
            _weft.lock_release(self._index, self._name)
    def _is_owned(self):
        return self._owner == _weft.me()
def _maker(kind, real):
    # Made by the program's own code: weft's; by the library: real.
    def make(*args, **kw):
        f = sys._getframe(1)
        if not is_own(f.f_code.co_filename):
            return real(*args, **kw)
        made = _weft.lock_new(_assigned(f, 'lock'))
        return real(*args, **kw) if made is None else kind(*made)
    return make
class _Semaphore:
    # The program's Semaphore: one of weft's, which sync shows.
    def __init__(self, obj, name, bound):
        self._obj, self._name, self._bound = obj, name, bound
    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for "
                             "non-blocking acquire")
        return _weft.sem_acquire(self._obj, self._name,
            bool(blocking), -1.0 if timeout is None else float(timeout))
    __enter__ = acquire
    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        if self._bound is not None and \
                _weft.sync_value(self._obj) + n > self._bound:
            raise ValueError('Semaphore released too many times')
        _weft.sem_release(self._obj, self._name, n)
    def __exit__(self, *exc):
        self.release()
    def get_value(self):
        return _weft.sync_value(self._obj)
    def __repr__(self):
        return '<weft semaphore %s, value %d>' % (self._name,
                                                  self.get_value())
class _Barrier:
    # The program's Barrier: one of weft's, reusable, never broken.
    def __init__(self, obj, name, parties):
        self._obj, self._name, self.parties = obj, name, parties
    def wait(self, timeout=None):
        return _weft.barrier_wait(self._obj, self._name)
    @property
    def n_waiting(self):
        return _weft.sync_value(self._obj)
    broken = False
    def _none(self, *args):
        raise NotImplementedError("weft's barriers are never broken: "
                                  "no abort() or reset()")
    abort = reset = _none
    def __repr__(self):
        return '<weft barrier %s, %d of %d arrived>' % (self._name,
            self.n_waiting, self.parties)
def _build_sem(bounded):
    def build(f, value=1, *args, **kw):
        if args or kw:
            return None
        if value < 0:
            raise ValueError('semaphore initial value must be >= 0')
        made = _weft.sync_new('semaphore', _assigned(f, 'sem'), value)
        if made is None:
            return None
        return _Semaphore(*made, value if bounded else None)
    return build
def _build_barrier(f, parties, action=None, timeout=None, *args, **kw):
    if action is not None or timeout is not None or args or kw:
        return None
    if parties < 1:
        raise ValueError('parties must be > 0')
    made = _weft.sync_new('barrier', _assigned(f, 'barrier'), parties)
    return _Barrier(*made, parties) if made is not None else None
class _Condition:
    # The program's Condition: one of weft's, on one of weft's locks.
    def __init__(self, obj, name, lock):
        self._obj, self._name, self._lock = obj, name, lock
        self.acquire, self.release = lock.acquire, lock.release
    def __enter__(self):
        return self._lock.__enter__()
    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)
    def _is_owned(self):
        return _weft.lock_mine(self._lock._index)
    def wait(self, timeout=None):
        if timeout is not None:
            raise RuntimeError("weft's conditions wait without a "
                "timeout: wait() or wait_for(predicate)")
        if not self._is_owned():
            raise RuntimeError('cannot wait on un-acquired lock')
        lock = self._lock
        count = getattr(lock, '_count', 0)
        if isinstance(lock, _RLock):
            lock._owner, lock._count = None, 0
        try:
            return _weft.cond_wait(self._obj, self._name, lock._index,
                                   lock._name)
        finally:
            if isinstance(lock, _RLock):
                lock._owner, lock._count = _weft.me(), count
    def wait_for(self, predicate, timeout=None):
        result = predicate()
        while not result:
            self.wait(timeout)
            result = predicate()
        return result
    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError('cannot notify on un-acquired lock')
        _weft.cond_notify(self._obj, self._name, n, False)
    def notify_all(self):
        if not self._is_owned():
            raise RuntimeError('cannot notify on un-acquired lock')
        _weft.cond_notify(self._obj, self._name, 1, True)
    notifyAll = notify_all
    def __repr__(self):
        return '<weft condition %s on %r>' % (self._name, self._lock)
def _build_cond(f, lock=None, *args, **kw):
    if args or kw or (lock is not None and not isinstance(lock, _Lock)) \
            or not _weft.in_weft():
        return None
    name = _assigned(f, 'cond')
    if lock is None:
        made = _weft.lock_new(name + '_lock')
        if made is None:
            return None
        lock = _RLock(*made)
    made = _weft.sync_new('condition', name, lock._index)
    return _Condition(*made, lock) if made is not None else None
class _Event:
    # The program's Event: a flag behind one of weft's conditions, kept
    # in its shared memory (a process sees it set).
    def __init__(self, cond):
        self._cond = cond
    @property
    def _flag(self):
        return _weft.sync_value(self._cond._obj) != 0
    def is_set(self):
        return self._flag
    isSet = is_set
    def set(self):
        with self._cond:
            _weft.sync_set(self._cond._obj, 1)
            self._cond.notify_all()
    def clear(self):
        with self._cond:
            _weft.sync_set(self._cond._obj, 0)
    def wait(self, timeout=None):
        if timeout is not None:
            end = time.monotonic() + timeout
            while not self._flag and time.monotonic() < end:
                time.sleep(0.001)
            return self._flag
        with self._cond:
            while not self._flag:
                self._cond.wait()
            return True
    def __repr__(self):
        return '<weft event %s, %s>' % (self._cond._name,
            'set' if self._flag else 'unset')
def _build_event(f, *args, **kw):
    if args or kw or not _weft.in_weft():
        return None
    name = _assigned(f, 'event')
    made = _weft.lock_new(name + '_lock')
    if made is None:
        return None
    lock = _Lock(*made)
    made = _weft.sync_new('condition', name, lock._index)
    return _Event(_Condition(*made, lock)) if made is not None else None
_QUEUE_MAX = _weft.QUEUE_MAX
_tokens, _token_n = {}, 0
def _q_in(item):
    # What a queue's cell holds: an int or a short word as it is, any
    # other object as a word standing for it ('#17').
    global _token_n
    if type(item) is int and -2 ** 63 <= item < 2 ** 63:
        return item
    if type(item) is str and not item.startswith('#') and \
            '\0' not in item and \
            len(item.encode()) <= _weft.WORD_MAX:
        return item
    _token_n += 1
    token = '#%d' % _token_n
    _tokens[token] = item
    return token
def _q_out(v):
    if type(v) is str and v.startswith('#'):
        return _tokens.pop(v)
    return v
class _Queue:
    # The program's queue.Queue: one of weft's queues, which sync
    # shows; an int or a short str goes in as it is, another object
    # as '#N' standing for it (threads share it; a process does not).
    def __init__(self, obj, name, maxsize):
        self._obj, self._name, self.maxsize = obj, name, maxsize
        self._unfinished = 0
        self._done = threading.Condition(threading._allocate_lock())
    def put(self, item, block=True, timeout=None):
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        v = self._in(item)
        with self._done:  # counted before a get can see it
            self._unfinished += 1
        if not _weft.q_put(self._obj, self._name, v, bool(block),
                           -1.0 if timeout is None else float(timeout)):
            self._drop(v)
            with self._done:
                self._unfinished -= 1
            raise queue.Full
    def get(self, block=True, timeout=None):
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        ok, v = _weft.q_get(self._obj, self._name, bool(block),
                            -1.0 if timeout is None else float(timeout))
        if not ok:
            raise queue.Empty
        return self._out(v)
    _in = staticmethod(_q_in)
    _out = staticmethod(_q_out)
    @staticmethod
    def _drop(v):
        if type(v) is str:
            _tokens.pop(v, None)
    def put_nowait(self, item):
        return self.put(item, False)
    def get_nowait(self):
        return self.get(False)
    def qsize(self):
        return _weft.sync_value(self._obj)
    def empty(self):
        return self.qsize() == 0
    def full(self):
        return 0 < self.maxsize <= self.qsize()
    def task_done(self):
        with self._done:
            if self._unfinished <= 0:
                raise ValueError('task_done() called too many times')
            self._unfinished -= 1
            if self._unfinished == 0:
                self._done.notify_all()
    def join(self):
        with self._done:
            while self._unfinished:
                self._done.wait()
    def __repr__(self):
        return '<weft queue %s, %d values>' % (self._name, self.qsize())
def _build_queue(f, maxsize=0, *args, **kw):
    if args or kw or maxsize > _QUEUE_MAX:
        return None
    try:
        made = _weft.sync_new('queue', _assigned(f, 'q'),
                              maxsize if maxsize > 0 else _QUEUE_MAX)
    except ValueError:
        return None  # no room left: Python's own
    return _Queue(*made, maxsize) if made is not None else None
class _MPQueue(_Queue):
    # The program's multiprocessing.Queue: one of weft's queues, shared
    # with processes. An int or a short str goes in as it is; another
    # object is pickled into a file of the queue's directory, and goes
    # in as the word that names it ('#PID.N'), which any process reads.
    def __init__(self, obj, name, maxsize):
        _Queue.__init__(self, obj, name, maxsize)
        self._dir, self._n = None, 0
    def _in(self, item):
        import os, pickle
        v = _q_in(item)
        if type(v) is not str or not v.startswith('#'):
            return v
        _tokens.pop(v)
        data = pickle.dumps(item)  # as python3: an error at put
        self._n += 1
        token = '#%d.%d' % (os.getpid(), self._n)
        with open(os.path.join(self._dir, token[1:]), 'wb') as out:
            out.write(data)
        return token
    def _out(self, v):
        import os, pickle
        if type(v) is not str or not v.startswith('#'):
            return v
        path = os.path.join(self._dir, v[1:])
        with open(path, 'rb') as f:
            data = f.read()
        os.unlink(path)
        return pickle.loads(data)
    def _drop(self, v):
        import os
        if type(v) is str and v.startswith('#'):
            try:
                os.unlink(os.path.join(self._dir, v[1:]))
            except OSError:
                pass
    def task_done(self):
        raise AttributeError("'Queue' object has no attribute 'task_done'")
    join = task_done
    def close(self):
        pass
    def join_thread(self):
        pass
    def cancel_join_thread(self):
        pass
def _queue_dir():
    # A directory of this process's, gone when weft ends (not by the
    # processes that copied it at their fork).
    import atexit, os, shutil, tempfile
    d = tempfile.mkdtemp(prefix='weft-queue-')
    me = os.getpid()
    def remove():
        if os.getpid() == me:
            shutil.rmtree(d, ignore_errors=True)
    atexit.register(remove)
    return d
def _build_mp_queue(f, maxsize=0, *args, **kw):
    if args or kw or maxsize > _QUEUE_MAX or not _weft.in_weft():
        return None
    try:
        made = _weft.sync_new('queue', _assigned(f, 'q'),
                              maxsize if maxsize > 0 else _QUEUE_MAX)
    except ValueError:
        return None
    q = _MPQueue(*made, maxsize)
    q._dir = _queue_dir()
    return q
# multiprocessing.Value's integer types: their bits, signed or not.
_INTS = {'b': 8, 'B': -8, 'h': 16, 'H': -16, 'i': 32, 'I': -32,
         'l': 64, 'L': -64, 'q': 64, 'Q': -64}
class _Value:
    # The program's multiprocessing.Value of an integer type: one of
    # weft's shared variables, which vars shows and tasks read. Like
    # python3's, value += 1 is a read and a write: updates can be lost
    # unless get_lock() is held.
    def __init__(self, cell, name, bits, lock):
        self._cell, self._name, self._bits = cell, name, bits
        self._lock = lock
    def _wrap(self, v):
        # As ctypes: the integer's own bits, silently.
        n = abs(self._bits)
        v = int(v) % (1 << n)
        if self._bits > 0 and v >= 1 << (n - 1):
            v -= 1 << n
        return v
    @property
    def value(self):
        v = _weft.value_get(self._cell)
        if v is None:
            raise RuntimeError('the shared variable %s is gone (reset)'
                               % self._name)
        v = self._wrap(v)
        _value_seen.v = v
        return v
    @value.setter
    def value(self, v):
        v = self._wrap(v.__index__())
        _weft.value_set(self._cell, v - (1 << 64) if v >= 1 << 63 else v)
        _value_seen.v = v
    def get_lock(self):
        if self._lock is None:
            raise AttributeError("'RawValue' has no lock: use Value")
        return self._lock
    def get_obj(self):
        return self
    def acquire(self, *args):
        return self.get_lock().acquire(*args)
    def release(self):
        return self.get_lock().release()
    def __enter__(self):
        return self.get_lock().__enter__()
    def __exit__(self, *exc):
        return self.get_lock().__exit__(*exc)
    def __repr__(self):
        return '<weft shared %s = %d>' % (self._name, self.value)
def _build_value(locked):
    def build(f, typecode_or_type, *args, lock=True):
        code = typecode_or_type
        if not isinstance(code, str):
            code = getattr(code, '_type_', None)
        if code not in _INTS or len(args) > 1 or not locked and \
                lock is not True or not _weft.in_weft():
            return None
        if args and type(args[0]) is not int:
            return None  # as python3 says it: ctypes' TypeError
        if locked and lock is not True and lock is not False and \
                not isinstance(lock, _Lock):
            return None
        name = _assigned(f, 'value')
        value = _Value(0, name, _INTS[code], None)
        v = value._wrap(args[0] if args else 0)
        made = _weft.value_new(name, v - (1 << 64) if v >= 1 << 63 else v)
        if made is None:
            return None
        value._cell, value._name = made
        if locked and lock is True:
            made = _weft.lock_new(value._name + '_lock')
            if made is None:
                return None
            value._lock = _RLock(*made)
        elif locked and lock is not False:
            value._lock = lock
        return value
    return build
def spawned(kind, func, name, words):
    # spawn KIND NAME FUNC WORD...: the Thread or Process that calls the
    # prompt's FUNC with the words (a whole number as an int), made as
    # its worker starts, on the worker's own thread (or in its child).
    import re  # imported already: see spawn_ready
    target = getattr(sys.modules['__main__'], func, None)
    if target is None:  # gone since spawn
        raise NameError('name %r is not defined' % func)
    args = tuple(int(w) if re.fullmatch(r'-?[0-9]+', w) else w
                 for w in words)
    if kind == 'process':
        import multiprocessing
        p = multiprocessing.Process(target=target, args=args, name=name)
        p._weft_label = name
        return p
    t = threading.Thread(target=target, args=args, name=name)
    t._weft_label = name
    with threading._active_limbo_lock:
        threading._limbo[t] = t
    return t
def spawn_ready(kind):
    # What spawned needs, imported now, in weft's own process: a child
    # forked while another thread imported would wait for ever for
    # that import's lock.
    import re
    if kind == 'process':
        import multiprocessing
def _plain(v, depth=0):
    # Is V plain data, which explore's runs each start again from?
    if depth > 20:
        return False
    if v is None or type(v) in (bool, int, float, complex, str, bytes):
        return True
    if type(v) in (list, tuple, set, frozenset):
        return all(_plain(x, depth + 1) for x in v)
    if type(v) is dict:
        return all(_plain(k, depth + 1) and _plain(x, depth + 1)
                   for k, x in v.items())
    return False
def save_globals():
    # The prompt's variables as they are, plain data copied, for
    # restore_globals before each of explore's runs.
    import copy
    saved = {}
    for k, v in sys.modules['__main__'].__dict__.items():
        saved[k] = (True, copy.deepcopy(v)) if _plain(v) else (False, v)
    return saved
def restore_globals(saved):
    import copy
    ns = sys.modules['__main__'].__dict__
    for k in [k for k in ns if k not in saved]:
        del ns[k]
    for k, (plain, v) in saved.items():
        ns[k] = copy.deepcopy(v) if plain else v
def _caller(depth):
    f = sys._getframe(depth + 1)
    return f if is_own(f.f_code.co_filename) else None
def _class_maker(real, build):
    # A class still (the library subclasses threading.Barrier), whose
    # objects made by the program's own code are weft's.
    class Made(real):
        def __new__(cls, *args, **kw):
            f = _caller(1) if cls is Made else None
            made = build(f, *args, **kw) if f is not None else None
            return made if made is not None else object.__new__(cls)
    Made.__name__ = Made.__qualname__ = real.__name__
    Made.__module__ = real.__module__
    return Made
def _fn_maker(real, build):
    # multiprocessing's, functions: the same, made by a function.
    def make(*args, **kw):
        f = _caller(1)
        made = build(f, *args, **kw) if f else None
        return made if made is not None else real(*args, **kw)
    return make
threading.Semaphore = _class_maker(threading.Semaphore,
                                   _build_sem(False))
threading.BoundedSemaphore = _class_maker(threading.BoundedSemaphore,
                                          _build_sem(True))
threading.Barrier = _class_maker(threading.Barrier, _build_barrier)
threading.Condition = _class_maker(threading.Condition, _build_cond)
threading.Event = _class_maker(threading.Event, _build_event)
queue = None
def _weft_queue():
    # queue.Queue made weft's, once anything imports queue.
    global queue
    import queue
    queue.Queue = _class_maker(queue.Queue, _build_queue)
threading.Lock = _maker(_Lock, threading.Lock)
threading.RLock = _maker(_RLock, threading.RLock)
_mpp = _pinit = None
def _weft_multiprocessing():
    # Process, Lock and RLock made weft's, once the program imports
    # multiprocessing (not before: a program of threads does not
    # pay for its import).
    global _mpp, _pinit
    import multiprocessing, multiprocessing.process
    _mpp = multiprocessing.process
    _pinit = _mpp.BaseProcess.__init__
    _mpp.BaseProcess.__init__ = pinit
    _mpp.BaseProcess.start = pstart
    multiprocessing.Lock = _maker(_Lock, multiprocessing.Lock)
    multiprocessing.RLock = _maker(_RLock, multiprocessing.RLock)
    mp = multiprocessing
    for name, build in (('Semaphore', _build_sem(False)),
                        ('BoundedSemaphore', _build_sem(True)),
                        ('Barrier', _build_barrier),
                        ('Condition', _build_cond),
                        ('Event', _build_event),
                        ('Queue', _build_mp_queue),
                        ('SimpleQueue', _build_mp_queue),
                        ('Value', _build_value(True)),
                        ('RawValue', _build_value(False))):
        setattr(mp, name, _fn_maker(getattr(mp, name), build))
class _Later:
    # On sys.meta_path: finds queue and multiprocessing as Python would,
    # then makes them weft's as they are first imported (a program of
    # threads does not pay for multiprocessing, nor one without queues
    # for queue).
    later = {'queue': _weft_queue, 'multiprocessing': _weft_multiprocessing}
    def find_spec(self, name, path=None, target=None):
        then = self.later.pop(name, None)
        if then is None:
            return None
        if not self.later:
            sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            then()
        spec.loader.exec_module = exec_module
        return spec
for _name in [n for n in _Later.later if n in sys.modules]:
    _Later.later.pop(_name)()  # imported already (not by python3 -S)
sys.meta_path.insert(0, _Later())
