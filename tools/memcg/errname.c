// SPDX-License-Identifier: MIT
/*
 * errno -> name: the values the engine's API and the syscalls of the
 * kernel oracle return. Linux numbering, as <errno.h> defines it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"

#define E(x) { x, #x }

static const struct {
	int err;
	const char *name;
} names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(EFBIG),
	E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM),
	E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(ENODATA), E(EOVERFLOW), E(EOPNOTSUPP), E(ETIMEDOUT),
	E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE),
};

/**
 * errname - the symbolic name of an errno value
 * @err: an errno value, positive or negative
 *
 * Return: "EINVAL", "ENOMEM", ...; "E<n>" for a value not in the table
 * (in a thread-local buffer, valid until the next call on the thread).
 */
const char *errname(int err)
{
	static __thread char buf[24];

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* "E<n>" with n in [1, 4095]: errname()'s spelling of a value not named. */
static int parse_numbered(const char *name)
{
	char *end;
	long n;

	if (name[0] != 'E' || name[1] < '1' || name[1] > '9')
		return 0;
	n = strtol(name + 1, &end, 10);
	if (*end || n < 1 || n > 4095)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == n)
			return 0;	/* it has a name: "EINVAL", not "E22" */
	return (int)n;
}

/**
 * errname_parse - the errno value of a symbolic name
 * @name: "EINVAL", "ENOENT", ...; or "E<n>" as errname() prints a value
 *        without a name
 *
 * Return: the errno value (positive), or 0 for a name not known here.
 */
int errname_parse(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].name, name))
			return names[i].err;
	return parse_numbered(name);
}
