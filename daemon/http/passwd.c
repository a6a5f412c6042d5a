/* passwd.c - `paybackd passwd`: a crypt(3) hash for a dashboard user's password. */
#include "passwd.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../lib/log.h"

/* Reads one line from stdin, without echo on a terminal. Returns its length or -1. */
static ssize_t read_secret(const char *prompt, char *out, size_t n)
{
	struct termios old, quiet;
	int is_tty = isatty(STDIN_FILENO);
	size_t len;

	if (is_tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)n, stdin) == NULL)
		out[0] = '\0';
	if (is_tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	return (ssize_t)len;
}

int passwd_hash(const char *password, char *out, size_t n)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *data = calloc(1, sizeof(*data));
	const char *hash;
	int rc = -1;

	/* yescrypt, libcrypt's default cost; the salt comes from the kernel. */
	if (data != NULL && crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) != NULL &&
	    (hash = crypt_r(password, salt, data)) != NULL && hash[0] == '$' && strlen(hash) < n) {
		memcpy(out, hash, strlen(hash) + 1);
		rc = 0;
	}
	free(data);
	return rc;
}

int passwd_command(void)
{
	char a[1024], b[1024], hash[256];
	int rc = 1;

	if (read_secret("Password: ", a, sizeof(a)) < 8) {
		log_err("passwd: a password needs at least 8 characters");
		goto done;
	}
	if (isatty(STDIN_FILENO) &&
	    (read_secret("Again: ", b, sizeof(b)) < 0 || strcmp(a, b) != 0)) {
		log_err("passwd: the two passwords differ");
		goto done;
	}
	if (passwd_hash(a, hash, sizeof(hash)) < 0) {
		log_err("passwd: libcrypt cannot make a yescrypt hash here");
		goto done;
	}
	printf("%s\n", hash);
	rc = 0;
done:
	explicit_bzero(a, sizeof(a));
	explicit_bzero(b, sizeof(b));
	return rc;
}
