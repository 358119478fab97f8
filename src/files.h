/* files.h: opening named files without ever blocking weft's main thread. */
#ifndef WEFT_FILES_H
#define WEFT_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Opens PATH to be read whole, at once: a regular file, never a FIFO or a
 * directory. Returns the descriptor, or -1 with the reason in WHY. */
int file_open_read(const char *path, char *why, size_t len);

/* Opens PATH to write (truncated, or APPENDed to): a regular file or a
 * device, never a FIFO or a socket. Returns the stream, or NULL with the
 * reason in WHY. */
FILE *file_open_write(const char *path, bool append, char *why, size_t len);

/* Pushes what F buffers to its file. Returns 0, or -1 with the reason in
 * WHY when this or any earlier write to F failed. */
int file_flush(FILE *f, char *why, size_t len);

/* Flushes and closes F. Returns 0, or -1 with the reason in WHY when any
 * write to F or the close failed; F is closed either way. */
int file_close(FILE *f, char *why, size_t len);

#endif
