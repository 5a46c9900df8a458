/* SPDX-License-Identifier: MIT */
/* Unlinked temporary files for data the engine keeps on disk. */
#ifndef MEMCG_LIB_TMPFILE_H
#define MEMCG_LIB_TMPFILE_H

/**
 * tmpfile_open - create and unlink a file in $TMPDIR (or /tmp)
 * @what: a word for its name while it exists ("swap", "file")
 *
 * Return: a read-write descriptor (close-on-exec), or -1 with errno set.
 */
int tmpfile_open(const char *what);

#endif /* MEMCG_LIB_TMPFILE_H */
