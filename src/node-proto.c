/* node-proto.c: node messages over a socket (node-proto.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "iov.h"
#include "node-proto.h"
#include "xmalloc.h"

/* Writes the N buffers of IOV to FD whole, going on after a signal or a
 * short write. */
static int
write_all(int fd, struct iovec *iov, int n, int fd_send)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };

	if (fd_send >= 0) {
		struct cmsghdr *c;

		memset(ctl, 0, sizeof ctl);
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof ctl;
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd_send, sizeof(int));
	}
	while (mh.msg_iovlen > 0) {
		ssize_t k = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		/* The descriptor went with the first bytes. */
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		iov_advance(&mh, (size_t)k);
	}
	return 0;
}

/* Writes a message, its header stamped with CPU_NS, and FD_SEND with it
 * when it is not -1. */
static int
send_message(int fd, uint32_t type, const int64_t *v, uint64_t cpu_ns,
	     const char *text, size_t len, int fd_send)
{
	struct node_hdr h = { .type = type, .len = (uint32_t)len,
			      .cpu_ns = cpu_ns };
	struct iovec iov[2] = { { &h, sizeof h }, { (void *)text, len } };

	if (len > NODE_TEXT_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (v != NULL)
		memcpy(h.v, v, sizeof h.v);
	return write_all(fd, iov, len > 0 ? 2 : 1, fd_send);
}

int
node_send_with_fd(int fd, uint32_t type, const int64_t *v, const char *text,
		  size_t len, int fd_send)
{
	return send_message(fd, type, v, 0, text, len, fd_send);
}

int
node_send_fd(int fd, uint32_t type, const int64_t *v, uint64_t cpu_ns,
	     const char *text, size_t len)
{
	return send_message(fd, type, v, cpu_ns, text, len, -1);
}

/* Reads LEN bytes to P; the first read may bring a descriptor (*FD_RECV,
 * when not NULL). Returns 0, 1 at the end of FD before any byte, -1. */
static int
read_all(int fd, void *p, size_t len, int *fd_recv)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	size_t got = 0;

	while (got < len) {
		struct iovec iov = { (char *)p + got, len - got };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t k;

		if (fd_recv != NULL) {
			mh.msg_control = ctl;
			mh.msg_controllen = sizeof ctl;
		}
		k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			errno = EPIPE;
			return got == 0 ? 1 : -1;
		}
		if (fd_recv != NULL) {
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

			if (c != NULL && c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_RIGHTS)
				memcpy(fd_recv, CMSG_DATA(c), sizeof(int));
			fd_recv = NULL;
		}
		got += (size_t)k;
	}
	return 0;
}

int
node_recv_with_fd(int fd, struct node_msg_buf *m, int *fd_recv)
{
	int rc;

	if (fd_recv != NULL)
		*fd_recv = -1;
	if ((rc = read_all(fd, &m->h, sizeof m->h, fd_recv)) != 0)
		return rc;
	if (m->h.len > NODE_TEXT_MAX) {
		errno = EPROTO;
		return -1;
	}
	buf_reset(&m->text);
	if (m->text.cap < (size_t)m->h.len + 1) {
		m->text.cap = (size_t)m->h.len + 1;
		m->text.data = xrealloc(m->text.data, m->text.cap);
	}
	if (m->h.len > 0 && read_all(fd, m->text.data, m->h.len, NULL) != 0)
		return -1;
	m->text.len = m->h.len;
	m->text.data[m->h.len] = '\0';
	return 0;
}

int
node_recv_fd(int fd, struct node_msg_buf *m)
{
	return node_recv_with_fd(fd, m, NULL);
}
