// SPDX-License-Identifier: MIT
/*
 * newc cpio writer: a 110-byte ASCII header, the name, the data, each
 * padded to 4 bytes. See cpio.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"

/** cpio_init - start an archive on @f */
void cpio_init(struct cpio *c, FILE *f)
{
	c->f = f;
	c->ino = 1;
	c->err = 0;
}

static void pad4(struct cpio *c)
{
	long pos = ftell(c->f);

	if (pos < 0) {
		c->err = c->err ? c->err : -errno;
		return;
	}
	while (pos++ % 4)
		fputc(0, c->f);
}

static void entry(struct cpio *c, const char *name, mode_t mode,
		  const void *data, size_t len, unsigned major,
		  unsigned minor)
{
	size_t namelen = strlen(name) + 1;

	if (c->err)
		return;
	fprintf(c->f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		c->ino++, (unsigned)mode, 0u, 0u, 1u, 0u, len, 0u, 0u,
		major, minor, namelen, 0u);
	fwrite(name, 1, namelen, c->f);
	pad4(c);
	if (len && fwrite(data, 1, len, c->f) != len)
		c->err = -EIO;
	pad4(c);
	if (ferror(c->f) && !c->err)
		c->err = -EIO;
}

/** cpio_dir - add a directory @name */
void cpio_dir(struct cpio *c, const char *name, mode_t perm)
{
	entry(c, name, S_IFDIR | perm, NULL, 0, 0, 0);
}

/** cpio_file - add a regular file @name with @len bytes of @data */
void cpio_file(struct cpio *c, const char *name, mode_t perm,
	       const void *data, size_t len)
{
	entry(c, name, S_IFREG | perm, data, len, 0, 0);
}

/** cpio_copy - add a regular file @name with the content of @path */
void cpio_copy(struct cpio *c, const char *name, mode_t perm,
	       const char *path)
{
	FILE *in;
	char *buf;
	long len;

	if (c->err)
		return;
	in = fopen(path, "rb");
	if (!in) {
		c->err = -errno;
		return;
	}
	if (fseek(in, 0, SEEK_END) || (len = ftell(in)) < 0 ||
	    fseek(in, 0, SEEK_SET)) {
		c->err = -EIO;
		fclose(in);
		return;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		c->err = -ENOMEM;
	} else if (fread(buf, 1, (size_t)len, in) != (size_t)len) {
		c->err = -EIO;
	} else {
		cpio_file(c, name, perm, buf, (size_t)len);
	}
	free(buf);
	fclose(in);
}

/** cpio_symlink - add a symbolic link @name -> @target */
void cpio_symlink(struct cpio *c, const char *name, const char *target)
{
	entry(c, name, S_IFLNK | 0777, target, strlen(target), 0, 0);
}

/** cpio_chardev - add a character device node */
void cpio_chardev(struct cpio *c, const char *name, mode_t perm,
		  unsigned major, unsigned minor)
{
	entry(c, name, S_IFCHR | perm, NULL, 0, major, minor);
}

/** cpio_finish - write the trailer; return the archive's first error */
int cpio_finish(struct cpio *c)
{
	entry(c, "TRAILER!!!", 0, NULL, 0, 0, 0);
	if (fflush(c->f) && !c->err)
		c->err = -errno;
	return c->err;
}
