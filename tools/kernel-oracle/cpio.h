/* SPDX-License-Identifier: MIT */
/*
 * A writer of cpio archives in the "newc" format, the one the kernel
 * unpacks as an initramfs. Archives may be concatenated: the kernel
 * unpacks them one after the other, later entries replacing earlier ones.
 * Not thread-safe per writer.
 */
#ifndef MEMCG_ORACLE_CPIO_H
#define MEMCG_ORACLE_CPIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/**
 * struct cpio - an archive being written
 * @f: the output stream
 * @ino: next inode number
 * @err: first error (negative errno), sticky
 */
struct cpio {
	FILE *f;
	unsigned ino;
	int err;
};

/** cpio_init - start an archive on @f (positioned where it goes) */
void cpio_init(struct cpio *c, FILE *f);

/** cpio_dir - add a directory @name ("bin", no leading '/') */
void cpio_dir(struct cpio *c, const char *name, mode_t perm);

/** cpio_file - add a regular file @name with @len bytes of @data */
void cpio_file(struct cpio *c, const char *name, mode_t perm,
	       const void *data, size_t len);

/**
 * cpio_copy - add a regular file @name with the content of the host file
 * @path
 */
void cpio_copy(struct cpio *c, const char *name, mode_t perm,
	       const char *path);

/** cpio_symlink - add a symbolic link @name -> @target */
void cpio_symlink(struct cpio *c, const char *name, const char *target);

/** cpio_chardev - add a character device node @name (@major, @minor) */
void cpio_chardev(struct cpio *c, const char *name, mode_t perm,
		  unsigned major, unsigned minor);

/**
 * cpio_finish - write the trailer
 *
 * Return: 0 or the first error (negative errno) of the whole archive.
 */
int cpio_finish(struct cpio *c);

#endif /* MEMCG_ORACLE_CPIO_H */
