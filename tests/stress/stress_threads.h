/* SPDX-License-Identifier: MIT */
/*
 * The multi-threaded stress test's workers (stress_worker.c: what a worker
 * does, operation by operation and phase by phase) and its driver
 * (test_stress_threads.c: threads, rounds, the auditor, the teardown and
 * the tests) share these: limits, CHECK(), the worker and the stress.
 */
#ifndef MEMCG_TEST_STRESS_THREADS_H
#define MEMCG_TEST_STRESS_THREADS_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "seed.h"

#define MAX_WORKERS 8
#define MAX_FOLIOS 192		/* per worker */
#define MAX_HANDLES 8		/* looked-up references per worker */
#define MAX_OWN 10		/* per-thread cgroups per worker */
#define MAX_OWN_DEPTH 3
#define NR_SHARED 3		/* "s0".."s2", each with a shared child "x" */
#define HUGE_ORDER 4		/* 16-page huge folios */
#define QUEUE_SIZE 512
#define BUF_SIZE 8192
#define MAX_ENTRIES 128		/* swap entries per worker */
#define MAX_CACHED 32		/* swapped-in folios per worker */
#define POOL_SIZE 64		/* entries shared between workers */
#define SWAP_BYTES (32 << 20)

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define CHECK_RET(ret, ...) do { int r_ = (ret), ok_ = 0; \
	int allowed_[] = { __VA_ARGS__ }; \
	for (size_t i_ = 0; i_ < sizeof(allowed_) / sizeof(int); i_++) \
		ok_ |= r_ == allowed_[i_]; \
	if (!ok_) { fprintf(stderr, "%s:%d: %s returned %d\n", __FILE__, \
			    __LINE__, #ret, r_); abort(); } } while (0)

/* A folio queue from a migrator to its partner, which drops references. */
struct folio_queue {
	pthread_mutex_t lock;
	struct folio *f[QUEUE_SIZE];
	unsigned head, tail;	/* tail - head entries */
};

enum { ST_CHARGE, ST_ENOMEM, ST_PUT, ST_MIGRATE, ST_SPLIT, ST_MOVE,
       ST_DRAIN, ST_READ, ST_WRITE, ST_MKDIR, ST_RMDIR, ST_LOOKUP,
       ST_RACE_PUT, ST_SWAPOUT, ST_SWAPIN, ST_SWAPFREE, ST_SHARE, NR_ST };

static const char *const st_names[NR_ST] = {
	"charge", "enomem", "put", "migrate", "split", "move", "drain",
	"read", "write", "mkdir", "rmdir", "lookup", "racing-put",
	"swap-out", "swap-in", "swap-free", "swap-share",
};

/* A folio swapped in and not yet known to have left the swap cache. */
struct swapped_in {
	struct folio *f;	/* one reference, ours */
	memcg_swp_entry_t entry;
	bool cached;		/* memcg_folio_free_swap() still to do */
};

struct own_cg {
	char path[160];
	struct mem_cgroup *h;	/* the handle from memcg_mkdir */
	int depth;
	bool online;
};

struct stress;

struct worker {
	struct stress *s;
	struct memcg_engine *e;
	pthread_t tid;
	int id;
	uint64_t rng;
	struct folio *folios[MAX_FOLIOS];	/* one reference each */
	int nr_folios;
	struct mem_cgroup *handles[MAX_HANDLES];
	int nr_handles;
	struct own_cg own[MAX_OWN];
	int nr_own;
	int next_name;
	/* phase roles */
	struct folio_queue *q;	/* migrate: my partner's queue, or mine */
	bool special;		/* rmdir: the remover; drain: the drainer;
				   migrate: the putter */
	int victim_steps;	/* rmdir: steps until the next rmdir */
	unsigned idle;		/* migrate: empty polls of the putter */
	bool victim_online, kid_online;
	memcg_swp_entry_t entries[MAX_ENTRIES];	/* a pte reference each */
	int nr_entries;
	struct swapped_in swapped[MAX_CACHED];
	int nr_swapped;
	long stats[NR_ST];
};


struct stress {
	struct memcg_engine *e;
	bool v1;
	int nr_workers;
	struct worker w[MAX_WORKERS];
	struct folio_queue queues[MAX_WORKERS];
	void (*step)(struct worker *w);
	atomic_bool stop;
	atomic_bool pause;
	pthread_barrier_t barrier;
	long total[NR_ST];
	/* entries a worker duplicated for any other to take */
	pthread_mutex_t pool_lock;
	memcg_swp_entry_t pool[POOL_SIZE];
	int nr_pool;
};

/* stress_worker.c: what the driver and the teardown call */
void queue_init(struct folio_queue *q);
size_t queue_pop(struct folio_queue *q, struct folio **out, size_t max);
void do_batch_put(struct worker *w);
bool drop_swapped(struct worker *w, int i);
void do_swap_free(struct worker *w);
void drop_handle(struct worker *w);

/* The phases' steps: one operation of worker @w (stress_worker.c). */
void step_random(struct worker *w);
void step_rmdir(struct worker *w);
void step_migrate(struct worker *w);
void step_drain(struct worker *w);

#endif /* MEMCG_TEST_STRESS_THREADS_H */
