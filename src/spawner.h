/*
 * spawner.h: the spawner, a small process that forks the process workers.
 *
 * Every page of its own that a process writes after a fork() is copied at
 * that first write while the child lives, and on the machines measured each
 * such fault costs tens of microseconds. weft's main loop writes many pages
 * between two starts (its trace, its buffers, malloc's state), so forking
 * from it made each process worker cost three times what fork() costs a
 * small C program. The spawner is forked from weft once, at the first
 * process start of a session, and then forks the workers itself: it writes
 * next to nothing between two forks, and weft's own pages are never shared
 * with a child, so never copied.
 *
 * A worker is still weft's child, not the spawner's: the spawner forks it
 * with clone(CLONE_PARENT), so weft gets its SIGCHLD, waits for it and
 * reaps it, and the worker dies with weft (PR_SET_PDEATHSIG), as when weft
 * forked it itself.
 *
 * Where that clone cannot be made as glibc's fork() makes a child (the
 * kernel does not tell the thread's tid address: PR_GET_TID_ADDRESS needs
 * CONFIG_CHECKPOINT_RESTORE), or is refused as such (EPERM, ENOSYS or
 * EINVAL: a seccomp filter, say), there is no spawner and weft forks its
 * workers itself (spawner_start says so).
 */
#ifndef WEFT_SPAWNER_H
#define WEFT_SPAWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct worker;

/* Begins to start process worker W, prepared (worker_prepare) and attached
 * to its ring, as weft's child forked by the spawner, making the spawner
 * first when there is none; EVFD is the doorbell the worker rings (and the
 * spawner, when the fork fails). Returns 0 when the spawner has the
 * request (spawner_settle tells what came of it); 1 when there can be no
 * spawner (the caller forks W itself); or -1 with a one-line reason in ERR
 * (W unchanged then). */
int spawner_start(struct worker *w, int evfd, char *err, size_t errlen);

/* Tells what came of W's start, begun by spawner_start: 0 W's process
 * exists (W->pid set), 1 not known yet (the main loop wakes when it is),
 * 2 there can be no spawner (the caller forks W itself), or -1 it failed
 * with a one-line reason in ERR, and W has no process. With GIVE_UP never
 * 1: a spawner still at it is killed first. */
int spawner_settle(struct worker *w, bool give_up, char *err, size_t errlen);

/* Reaps every ended child of weft that is neither the spawner, the child
 * of a start under way, nor one that KNOWN(PID, ARG) says is a worker
 * (whose zombie stays until join); and the spawner, when it died idle. */
void spawner_sweep(bool (*known)(pid_t pid, void *arg), void *arg);

/* Makes every wait on the spawner give up when SIGTERM, SIGHUP or SIGINT
 * is waiting on FD, weft's signalfd (-1: none). */
void spawner_signals(int fd);

/* Ends the spawner and reaps it, and the child of a start still under
 * way; nothing to do when there is none. */
void spawner_close(void);

#endif
