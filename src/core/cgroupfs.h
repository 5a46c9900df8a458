/* SPDX-License-Identifier: MIT */
/*
 * Control files: one table per interface (v2 in cgroupfs_v2.c, v1 in
 * cgroupfs_v1.c), served by cgroupfs.c. Handlers run without engine
 * locks held, except where they take cgroup_mutex themselves.
 */
#ifndef MEMCG_CORE_CGROUPFS_H
#define MEMCG_CORE_CGROUPFS_H

#include <stdarg.h>
#include <stddef.h>

#include "core/memcontrol.h"

#define CFTYPE_NOT_ON_ROOT	(1u << 0)
#define CFTYPE_ONLY_ON_ROOT	(1u << 1)
/*
 * A kernel write_u64 file: the text reaches the handler as written, for
 * kstrtoull() (blanks refused, one trailing newline allowed), where the
 * kernel's other handlers strstrip() it first.
 */
#define CFTYPE_WRITE_U64	(1u << 2)
/* only under the 6.12 profile: the file (memory.swap.peak came in 6.5) */
#define CFTYPE_ONLY_6_12	(1u << 3)
/* the write handler only under 6.12 (memory.peak: read-only in 6.1) */
#define CFTYPE_WRITE_6_12	(1u << 4)

/* Output of a read: fills a caller's buffer, noting overflow. */
struct seqbuf {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
};

struct cftype {
	const char *name;
	unsigned flags;
	void (*show)(struct memcg_file *f, struct seqbuf *s);
	/* @buf is writable and, unless CFTYPE_WRITE_U64, stripped of blanks */
	int (*write)(struct memcg_file *f, char *buf);
};

struct memcg_file {
	struct mem_cgroup *memcg;	/* holds a reference */
	const struct cftype *cft;
	long peak;			/* memory.peak: fd value, -1 unset */
	struct cds_list_head peak_node;
	struct cds_list_head *peak_list;	/* the list peak_node is on */
};

extern const struct cftype memcg_v2_files[];
extern const struct cftype memcg_v1_files[];
extern const struct cftype cgroup_core_files[];

void seq_printf(struct seqbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void seq_puts_memcg_tunable(struct seqbuf *s, long pages);
void cgroup_stat_show(struct memcg_file *f, struct seqbuf *s);

/* kernfs writes at most a page at once: more is -E2BIG */
#define CGROUP_FILE_WRITE_MAX	4096

/**
 * cgroup_cftype_find - the file @name of @memcg's directory the engine serves
 * @memcg: cgroup
 * @name: file name
 *
 * Return: its cftype (the controller's, then on v2 memory.pressure), or
 * NULL when the engine serves no such file in this cgroup (the root lacks
 * the CFTYPE_NOT_ON_ROOT files).
 */
const struct cftype *cgroup_cftype_find(struct mem_cgroup *memcg,
					const char *name);

/**
 * cgroup_cftype_writable - whether @memcg's profile gives @cft a write
 * handler (memory.peak has none on 6.1)
 */
bool cgroup_cftype_writable(struct mem_cgroup *memcg, const struct cftype *cft);

/**
 * cgroup_file_exists - whether @memcg's directory holds a file @name
 * @memcg: cgroup
 * @name: a name, not necessarily NUL-terminated
 * @len: its length
 *
 * The files the engine serves, and those the kernel's directory holds
 * besides (cgroupfs_names.c): mkdir finds the name taken (-EEXIST), a
 * path through it is not a directory (-ENOTDIR).
 */
bool cgroup_file_exists(struct mem_cgroup *memcg, const char *name,
			size_t len);

/**
 * cgroup_file_unserved - whether the kernel's directory of @memcg holds a
 * file @name that the engine does not serve
 * @memcg: cgroup
 * @name: NUL-terminated name
 *
 * The cgroup core's files (cgroup.procs, ...), other controllers' files
 * in the root, and the memory files not modeled (memory.numa_stat, ...),
 * as Linux 6.1 and 6.12 list them (cgroupfs_names.c).
 */
bool cgroup_file_unserved(struct mem_cgroup *memcg, const char *name);

#endif /* MEMCG_CORE_CGROUPFS_H */
