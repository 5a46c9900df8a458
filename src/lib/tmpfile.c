// SPDX-License-Identifier: MIT
/* Unlinked temporary files: see tmpfile.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/tmpfile.h"

int tmpfile_open(const char *what)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];
	int fd;

	snprintf(tmpl, sizeof(tmpl), "%s/libmemcg-%s-XXXXXX",
		 dir && *dir ? dir : "/tmp", what);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	return fd;
}
