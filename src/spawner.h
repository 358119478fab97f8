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

#include <stddef.h>

struct worker;

/* Starts process worker W, prepared (worker_prepare) and attached to its
 * ring, as weft's child forked by the spawner, making the spawner first
 * when there is none; EVFD is the doorbell the worker rings. Sets W->pid.
 * Returns 0; 1 when there can be no spawner (the caller forks W itself);
 * or -1 with a one-line reason in ERR (W unchanged then). */
int spawner_start(struct worker *w, int evfd, char *err, size_t errlen);

/* Ends the spawner and waits for it; nothing to do when there is none. */
void spawner_close(void);

#endif
