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
	/* @buf is stripped of surrounding whitespace and writable */
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

void seq_printf(struct seqbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void seq_puts_memcg_tunable(struct seqbuf *s, long pages);
void cgroup_stat_show(struct memcg_file *f, struct seqbuf *s);

/* kstrtoint-like: base auto, the whole string, -EINVAL or -ERANGE. */
int memcg_kstrtoint(const char *buf, int *out);

#endif /* MEMCG_CORE_CGROUPFS_H */
