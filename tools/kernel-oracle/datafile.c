// SPDX-License-Identifier: MIT
/*
 * Data files for the player's read actions: grown with O_DIRECT writes
 * from the root cgroup. See datafile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datafile.h"

#define PAGE 4096UL
#define CHUNK (1UL << 20)

/*
 * Each page holds its own index in its first 8 bytes and zeros after: real
 * data (zram's same-filled shortcut does not apply) that compresses to
 * almost nothing, so the scratch disk costs the VM little memory.
 */
static void fill(char *buf, size_t len, uint64_t first_page)
{
	memset(buf, 0, len);
	for (size_t off = 0; off < len; off += PAGE) {
		uint64_t idx = first_page + off / PAGE + 1;

		memcpy(buf + off, &idx, sizeof(idx));
	}
}

static int write_all(int fd, const char *buf, size_t len, off_t pos)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, len, pos);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
		pos += n;
	}
	return 0;
}

/* Append [@from, @to) with O_DIRECT, or buffered and then dropped. */
static int grow(const char *name, uint64_t from, uint64_t to)
{
	bool direct = true;
	char *buf;
	int fd, err = 0;

	fd = open(name, O_WRONLY | O_CREAT | O_DIRECT, 0644);
	if (fd < 0 && errno == EINVAL) {
		direct = false;
		fd = open(name, O_WRONLY | O_CREAT, 0644);
	}
	if (fd < 0)
		return -errno;
	if (posix_memalign((void **)&buf, PAGE, CHUNK)) {
		close(fd);
		return -ENOMEM;
	}
	for (uint64_t pos = from; pos < to && !err; pos += CHUNK) {
		size_t n = to - pos < CHUNK ? (size_t)(to - pos) : CHUNK;

		fill(buf, n, pos / PAGE);
		err = write_all(fd, buf, n, (off_t)pos);
	}
	if (!err && !direct) {
		if (fdatasync(fd))
			err = -errno;
		else
			posix_fadvise(fd, (off_t)from, (off_t)(to - from),
				      POSIX_FADV_DONTNEED);
	}
	free(buf);
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/**
 * datafile_ensure - make @name at least @bytes long (rounded up to pages),
 * with data on disk and none of the new part in the page cache
 * @name: a plain file name
 * @bytes: size
 *
 * Return: 0 or a negative errno.
 */
int datafile_ensure(const char *name, uint64_t bytes)
{
	uint64_t want = (bytes + PAGE - 1) & ~(PAGE - 1);
	struct stat st;

	if (!*name || strchr(name, '/'))
		return -EINVAL;
	if (stat(name, &st) == 0) {
		if ((uint64_t)st.st_size >= want)
			return 0;
		return grow(name, (uint64_t)st.st_size, want);
	}
	if (errno != ENOENT)
		return -errno;
	return grow(name, 0, want);
}
