/* SPDX-License-Identifier: MIT */
/*
 * Data files of the kernel oracle's player: the files tasks read through
 * the page cache ("t1 read data 50M"), in the current directory (the
 * ext2 scratch filesystem, so the pages are file cache, not shmem).
 *
 * The engine creates a file sparse on first use and grows it. Here the
 * player (in the root cgroup) gives the file real data, written with
 * O_DIRECT so that none of it stays in the page cache: the task's read
 * then allocates every page it touches and charges it to the task's
 * cgroup, and a page reclaimed later is read back from the disk like a
 * real file's. Single-threaded.
 */
#ifndef MEMCG_ORACLE_DATAFILE_H
#define MEMCG_ORACLE_DATAFILE_H

#include <stdint.h>

/**
 * datafile_ensure - make @name at least @bytes long (rounded up to pages),
 * with data on disk and none of the new part in the page cache
 * @name: a plain file name
 * @bytes: size
 *
 * Pages already in the file are not touched (they may be cached and
 * charged to some cgroup).
 *
 * Return: 0 or a negative errno.
 */
int datafile_ensure(const char *name, uint64_t bytes);

#endif /* MEMCG_ORACLE_DATAFILE_H */
