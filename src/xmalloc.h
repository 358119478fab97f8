/* xmalloc.h: allocation that never returns NULL (weft stops on exhaustion). */
#ifndef WEFT_XMALLOC_H
#define WEFT_XMALLOC_H

#include <stddef.h>

/* Each returns usable memory or prints an error and exits with status 70. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
