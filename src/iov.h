/* iov.h: a message's buffers after a short write. */
#ifndef WEFT_IOV_H
#define WEFT_IOV_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* Moves MH's buffers past the K bytes sendmsg() wrote. */
static inline void
iov_advance(struct msghdr *mh, size_t k)
{
	while (mh->msg_iovlen > 0 && k >= mh->msg_iov->iov_len) {
		k -= mh->msg_iov->iov_len;
		mh->msg_iov++;
		mh->msg_iovlen--;
	}
	if (mh->msg_iovlen > 0) {
		mh->msg_iov->iov_base = (char *)mh->msg_iov->iov_base + k;
		mh->msg_iov->iov_len -= k;
	}
}

#endif
