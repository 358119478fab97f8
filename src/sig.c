/*
 * sig.c: signals by name, both ways, as kill(1) and ps show them. glibc
 * names only the classic signals (sigabbrev_np); the real-time ones are
 * named from SIGRTMIN and SIGRTMAX as kill -l does, and the two or three
 * below SIGRTMIN that glibc keeps for its own threads are refused: sent
 * to a worker they would do what glibc means by them, not what the
 * learner meant.
 */
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sig.h"

const char *
sig_name(int sig, char *buf, size_t len)
{
	const char *abbrev =
		sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (abbrev != NULL)
		snprintf(buf, len, "SIG%s", abbrev);
	else if (sig == SIGRTMIN || sig == SIGRTMAX)
		snprintf(buf, len, "SIGRT%s", sig == SIGRTMIN ? "MIN" : "MAX");
	else if (sig > SIGRTMIN && sig <= (SIGRTMIN + SIGRTMAX) / 2)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else if (sig > SIGRTMIN && sig < SIGRTMAX) /* as kill -l says */
		snprintf(buf, len, "SIGRTMAX-%d", SIGRTMAX - sig);
	else
		snprintf(buf, len, "SIG%d", sig);
	return buf;
}

/* Parses "RTMIN", "RTMIN+N", "RTMAX" or "RTMAX-N"; 0 when TEXT is none
 * of them or out of range. */
static int
parse_rt(const char *text)
{
	int base, sign;
	char *end;

	if (strncasecmp(text, "RTMIN", 5) == 0)
		base = SIGRTMIN, sign = 1;
	else if (strncasecmp(text, "RTMAX", 5) == 0)
		base = SIGRTMAX, sign = -1;
	else
		return 0;
	text += 5;
	if (*text == '\0')
		return base;
	if (*text != (sign > 0 ? '+' : '-') || !isdigit((unsigned char)text[1]))
		return 0;
	long n = strtol(text + 1, &end, 10);
	if (*end != '\0' || n > SIGRTMAX - SIGRTMIN)
		return 0;
	return base + sign * (int)n;
}

int
sig_parse(const char *text)
{
	char *end;

	if (isdigit((unsigned char)text[0])) {
		long n = strtol(text, &end, 10);
		if (*end != '\0' || n <= 0 || n > SIGRTMAX)
			return 0;
		/* Numbers glibc has no name for, below its SIGRTMIN. */
		if (n < SIGRTMIN && sigabbrev_np((int)n) == NULL)
			return -1;
		return (int)n;
	}
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (int sig = 1; sig < SIGRTMIN; sig++) {
		const char *abbrev = sigabbrev_np(sig);
		if (abbrev != NULL && strcasecmp(abbrev, text) == 0)
			return sig;
	}
	return parse_rt(text);
}
