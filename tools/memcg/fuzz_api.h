/* SPDX-License-Identifier: MIT */
/*
 * The public API fuzzer's world (fuzz_api.c: the calls and the run;
 * fuzz_api_misuse.c: misuse): the tables of every reference it holds,
 * CHECK(), and the input-driven choices both files make.
 */
#ifndef MEMCG_FUZZ_API_H
#define MEMCG_FUZZ_API_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <urcu-bp.h>

#include "audit.h"
#include "memcg/memcg.h"
#include "memcg/sim.h"
#include "mm/folio.h"

#define HUGE_ORDER	2u		/* 4-page huge folios: cheap splits */
#define NR_CG		16
#define NR_FOLIOS	64
#define NR_ENTRIES	64
#define NR_OBJS		32
#define NR_KPAGES	32
#define NR_SMALL	4		/* objcgs, sockets, files */
#define NR_TASKS	4
#define MAX_OPS		256

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_api:%d: %s\n", __LINE__,	\
				#cond);					\
			abort();					\
		}							\
	} while (0)

struct obj {
	struct obj_cgroup *objcg;	/* a handle of its own */
	size_t size;
	unsigned gfp;
};

struct sock {
	struct memcg_sock *sk;
	struct mem_cgroup *memcg;	/* the reference it holds, or NULL */
	unsigned charged;
};

struct world {
	const uint8_t *data;
	size_t size, pos;
	struct memcg_engine *a, *b;
	struct folio *b_folio;		/* B's, one reference */
	struct mem_cgroup *b_cg;	/* B's, one reference */
	struct mem_cgroup *cg[NR_CG];	/* A's, one reference each */
	int nr_cg;
	struct folio *folio[NR_FOLIOS];	/* A's, one reference each */
	int nr_folio;
	memcg_swp_entry_t entry[NR_ENTRIES];	/* one reference each */
	int nr_entry;
	struct obj_cgroup *objcg[NR_SMALL];
	int nr_objcg;
	struct obj obj[NR_OBJS];
	int nr_obj;
	struct folio *kpage[NR_KPAGES];	/* kernel folios, exclusively held */
	int nr_kpage;
	struct sock sock[NR_SMALL];
	int nr_sock;
	struct memcg_file *file[NR_SMALL];
	struct mem_cgroup *file_cg[NR_SMALL];
	int nr_file;
	struct memcg_task *task[NR_TASKS];
	int nr_task;
	bool forked;
};

/* fuzz_api.c: the input's next byte (0 past its end), and choices from it */
uint8_t byte(struct world *w);
unsigned pick(struct world *w, unsigned n);
/* One of A's cgroups the fuzzer holds, or A's root. */
struct mem_cgroup *any_cg(struct world *w);
/* The index of a folio reference the fuzzer holds, or -1. */
int any_folio(struct world *w);

/* fuzz_api_misuse.c */
void op_foreign(struct world *w);
void op_huge_sizes(struct world *w);
void op_double_put(struct world *w);

#endif /* MEMCG_FUZZ_API_H */
