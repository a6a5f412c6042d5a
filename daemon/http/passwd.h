/* passwd.h - password hashes for dashboard users. */
#ifndef PAYBACK_PASSWD_H
#define PAYBACK_PASSWD_H

#include <stddef.h>

/* A yescrypt crypt(3) hash of password in out (size n); returns 0 or -1. */
int passwd_hash(const char *password, char *out, size_t n);
/* Reads a password from stdin (twice on a terminal) and prints its hash; returns the exit status.
 */
int passwd_command(void);

#endif
