// SPDX-License-Identifier: MIT
/*
 * libmemcg-preload.so in-process: the test links the shim, whose malloc
 * is then the process's. ctest sets MEMCG_CGROUP=test/api, MEMCG_MAX=1G
 * and MEMCG_HIGH=768M.
 *
 * Under a sanitizer the sanitizer's runtime owns malloc: only the API
 * tests run (engine, cgroup from the environment, attach); the charging
 * tests are skipped.
 *
 * Exactness: once every thread's budget is back (a thread's at its exit,
 * this thread's by memcg_thread_flush()) and the stocks are drained, a
 * cgroup's memory.current is its live bytes rounded up to a page, where a
 * block counts malloc_usable_size() + 8 (its tag) and a mapping its
 * length rounded up to pages.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "memcg/hooks.h"
#include "memcg/preload.h"

#define PG 4096L
#define TAG 8

static long round_page(long bytes)
{
	return (bytes + PG - 1) / PG * PG;
}

/* Whether the shim's malloc is the process's (not under a sanitizer). */
static bool shim_owns_malloc(void)
{
	Dl_info a, b;

	if (!dladdr(dlsym(RTLD_DEFAULT, "malloc"), &a) ||
	    !dladdr((void *)memcg_thread_flush, &b))
		return false;
	return !strcmp(a.dli_fname, b.dli_fname);
}

#define NEED_SHIM() do { if (!shim_owns_malloc()) skip(); } while (0)

static struct mem_cgroup *lookup(const char *path)
{
	struct mem_cgroup *m;

	assert_int_equal(memcg_lookup(memcg_preload_engine(), path, &m), 0);
	memcg_put(m);	/* the engine keeps it while it is in the tree */
	return m;
}

static struct mem_cgroup *make(const char *path, const char *max)
{
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(memcg_preload_engine(), path, &m), 0);
	if (max)
		assert_int_equal(memcg_write(m, "memory.max", max), 0);
	memcg_put(m);
	return m;
}

static long long read_ll(struct mem_cgroup *m, const char *file)
{
	char buf[64];

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	return strtoll(buf, NULL, 10);
}

static long long keyed(struct mem_cgroup *m, const char *file, const char *key)
{
	static char buf[8192];
	size_t klen = strlen(key);
	const char *p;

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	for (p = buf; *p; p = strchr(p, '\n') + 1)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	fail_msg("no %s in %s", key, file);
	return -1;
}

/*
 * memory.current once this thread's budget and the stocks are back, read
 * from the default cgroup: the engine's own allocations while it reads
 * are charged to the calling thread's cgroup.
 */
static long long settled(struct mem_cgroup *m)
{
	struct mem_cgroup *cur = memcg_thread_cgroup();
	long long v;

	assert_int_equal(memcg_thread_attach(NULL), 0);
	memcg_drain_all_stock(m);
	v = read_ll(m, "memory.current");
	assert_int_equal(memcg_thread_attach(cur), 0);
	return v;
}

static long charged(void *p)
{
	return (long)malloc_usable_size(p) + TAG;
}

/* The engine and the cgroup the environment asked for. */
static void test_env_cgroup(void **state)
{
	struct mem_cgroup *m;
	char buf[64];

	assert_non_null(memcg_preload_engine());
	assert_ptr_equal(memcg_preload_engine(), memcg_preload_engine());
	m = lookup("test/api");
	assert_true(memcg_read(m, "memory.max", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "1073741824\n");
	assert_true(memcg_read(m, "memory.high", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "805306368\n");
	assert_ptr_equal(memcg_thread_cgroup(), m);
}

static void test_attach(void **state)
{
	struct mem_cgroup *def = lookup("test/api");
	struct mem_cgroup *a = make("test/a", NULL);
	struct mem_cgroup *gone = make("test/gone", NULL);

	assert_int_equal(memcg_thread_attach(a), 0);
	assert_ptr_equal(memcg_thread_cgroup(), a);
	assert_int_equal(memcg_thread_attach(a), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
	assert_ptr_equal(memcg_thread_cgroup(), def);
	/* a removed cgroup cannot be attached to, known or not */
	memcg_get(gone);
	assert_int_equal(memcg_rmdir(memcg_preload_engine(), "test/gone"), 0);
	assert_int_equal(memcg_thread_attach(gone), -ENOENT);
	memcg_put(gone);
	memcg_get(a);
	assert_int_equal(memcg_rmdir(memcg_preload_engine(), "test/a"), 0);
	assert_int_equal(memcg_thread_attach(a), -ENOENT);
	memcg_put(a);
	assert_ptr_equal(memcg_thread_cgroup(), def);
}

/* --- charging: only where the shim's malloc is the process's --- */

#define NR_THREADS 4
#define NR_BLOCKS 3000

struct block {
	void *p;
	long bytes;	/* charged */
	bool mapped;
};

struct worker {
	struct mem_cgroup *memcg;
	unsigned seed;
	struct block kept[NR_BLOCKS];
	int nr_kept;
};

static void *alloc_one(unsigned *seed, long *bytes, bool *mapped)
{
	size_t size = 1 + (size_t)rand_r(seed) % (rand_r(seed) % 8 ? 4096 : 300000);
	void *p = NULL;

	*mapped = false;
	switch (rand_r(seed) % 7) {
	case 0:
		p = calloc(1, size);
		break;
	case 1:
		p = memalign(64, size);
		break;
	case 2:
		assert_int_equal(posix_memalign(&p, 4096, size), 0);
		break;
	case 3:
		p = realloc(malloc(size / 2 + 1), size);
		break;
	case 4:
		if (rand_r(seed) % 8 == 0) {
			p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			assert_true(p != MAP_FAILED);
			*mapped = true;
			*bytes = round_page((long)size);
			return p;
		}
		/* fall through */
	default:
		p = malloc(size);
		break;
	}
	assert_non_null(p);
	memset(p, 1, size);
	*bytes = charged(p);
	return p;
}

static void release(struct block *b)
{
	if (b->mapped)
		assert_int_equal(munmap(b->p, (size_t)b->bytes), 0);
	else
		free(b->p);
}

/* Allocate and free at random; keep some; exit with a budget. */
static void *worker(void *arg)
{
	struct worker *w = arg;
	struct block tmp[64];
	int i, j;

	assert_int_equal(memcg_thread_attach(w->memcg), 0);
	for (i = 0; i < NR_BLOCKS; i++) {
		for (j = 0; j < 64; j++)
			tmp[j].p = alloc_one(&w->seed, &tmp[j].bytes, &tmp[j].mapped);
		for (j = 0; j < 64; j++)
			if (j || i % 3)
				release(&tmp[j]);
			else
				w->kept[w->nr_kept++] = tmp[j];
	}
	return NULL;
}

static long live_bytes(struct worker *w, int nr)
{
	long sum = 0;
	int i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < w[i].nr_kept; j++)
			sum += w[i].kept[j].bytes;
	return sum;
}

/* Budgets come back at thread exit: counts exact after the joins. */
static void test_exact_threads(void **state)
{
	static struct worker w[NR_THREADS];
	struct mem_cgroup *m;
	pthread_t th[NR_THREADS];
	int i, j;

	NEED_SHIM();
	m = make("test/threads", NULL);
	for (i = 0; i < NR_THREADS; i++) {
		w[i].memcg = m;
		w[i].seed = (unsigned)i + 7;
		w[i].nr_kept = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker, &w[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	assert_true(live_bytes(w, NR_THREADS) > 1 << 20);
	assert_int_equal(settled(m), round_page(live_bytes(w, NR_THREADS)));
	assert_int_equal(keyed(m, "memory.stat", "anon"), settled(m));
	assert_true(read_ll(m, "memory.peak") >= settled(m));

	/* this thread (another cgroup's) frees half: exact again */
	for (i = 0; i < NR_THREADS; i++)
		for (j = 0; j < w[i].nr_kept; j += 2) {
			release(&w[i].kept[j]);
			w[i].kept[j].bytes = 0;
		}
	assert_int_equal(settled(m), round_page(live_bytes(w, NR_THREADS)));
	for (i = 0; i < NR_THREADS; i++)
		for (j = 1; j < w[i].nr_kept; j += 2)
			release(&w[i].kept[j]);
	assert_int_equal(settled(m), 0);
	assert_int_equal(keyed(m, "memory.stat", "anon"), 0);
}

#define NR_SHARED 256

static void *_Atomic shared[NR_SHARED];

struct swapper {
	struct mem_cgroup *memcg;
	unsigned seed;
};

/* Allocate, swap into a shared slot, free what was there (any cgroup's). */
static void *swapper(void *arg)
{
	struct swapper *w = arg;
	int i;

	assert_int_equal(memcg_thread_attach(w->memcg), 0);
	for (i = 0; i < 200000; i++) {
		size_t size = 1 + (size_t)rand_r(&w->seed) % 20000;
		void *p = i % 5 ? malloc(size) : calloc(1, size);

		assert_non_null(p);
		p = atomic_exchange(&shared[rand_r(&w->seed) % NR_SHARED], p);
		if (p && i % 7 == 0)
			p = realloc(p, size);
		free(p);
	}
	return NULL;
}

/* Two cgroups' threads free each other's blocks at once: exact at the end. */
static void test_cross_threads(void **state)
{
	struct swapper w[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct mem_cgroup *x, *y;
	int i;

	NEED_SHIM();
	x = make("test/x", NULL);
	y = make("test/y", NULL);
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct swapper){ i % 2 ? x : y, (unsigned)i * 31 + 1 };
		assert_int_equal(pthread_create(&th[i], NULL, swapper, &w[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NR_SHARED; i++)
		free(atomic_exchange(&shared[i], NULL));
	assert_int_equal(settled(x), 0);
	assert_int_equal(settled(y), 0);
	assert_int_equal(keyed(x, "memory.stat", "anon"), 0);
}

/* A thread's budget is at most a batch ahead of its blocks. */
static void test_budget_lag(void **state)
{
	struct mem_cgroup *m;
	void *p[1000];
	long live = 0, cur;
	int i;

	NEED_SHIM();
	m = make("test/lag", NULL);
	assert_int_equal(memcg_thread_attach(m), 0);
	for (i = 0; i < 1000; i++) {
		p[i] = malloc((size_t)(i % 50) * 100 + 1);
		live += charged(p[i]);
		memcg_drain_all_stock(m);
		cur = read_ll(m, "memory.current");
		/* one more page: the engine's file while it reads */
		assert_true(cur >= live && cur <= round_page(live) + 65 * PG);
	}
	assert_int_equal(settled(m), round_page(live));
	for (i = 0; i < 1000; i++)
		free(p[i]);
	assert_int_equal(settled(m), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

/* called through a pointer: GCC takes q as freed after any realloc */
static void *(*volatile realloc_fn)(void *, size_t) = realloc;

/* Over memory.max: NULL and ENOMEM from each call; the rest goes on. */
static void test_limit(void **state)
{
	struct mem_cgroup *m;
	void *p, *q;

	NEED_SHIM();
	m = make("test/small", "8M");
	assert_int_equal(memcg_thread_attach(m), 0);
	errno = 0;
	assert_null(malloc(16 << 20));
	assert_int_equal(errno, ENOMEM);
	assert_true(keyed(m, "memory.events", "max") > 0);
	assert_null(calloc(4, 4 << 20));
	assert_int_equal(posix_memalign(&p, 4096, 16 << 20), ENOMEM);
	assert_true(mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	assert_int_equal(errno, ENOMEM);
	q = malloc(1 << 20);
	assert_non_null(q);
	memset(q, 7, 1 << 20);
	assert_null(realloc_fn(q, 16 << 20));	/* q is left as it was */
	assert_int_equal(((char *)q)[(1 << 20) - 1], 7);
	p = malloc(4 << 20);
	assert_non_null(p);
	free(p);
	free(q);
	assert_int_equal(settled(m), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

static void *map(void *addr, long pages, int prot, int flags)
{
	void *p = mmap(addr, (size_t)(pages * PG), prot, flags, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE | MAP_ANONYMOUS)

/* Anonymous mappings: charged whole; every way out uncharges. */
static void test_mmap(void **state)
{
	struct mem_cgroup *m;
	char *a, *b, *c, *d;

	NEED_SHIM();
	m = make("test/mmap", NULL);
	assert_int_equal(memcg_thread_attach(m), 0);
	a = map(NULL, 10, RW, PRIV);
	assert_int_equal(settled(m), 10 * PG);
	assert_int_equal(munmap(a + 4 * PG, 2 * PG), 0);	/* a hole */
	assert_int_equal(settled(m), 8 * PG);
	/* the first part grows (and may move), the second shrinks */
	c = mremap(a, 4 * PG, 7 * PG, MREMAP_MAYMOVE);
	assert_true(c != MAP_FAILED);
	assert_int_equal(settled(m), 11 * PG);
	d = mremap(a + 6 * PG, 4 * PG, PG, 0);
	assert_ptr_equal(d, a + 6 * PG);
	assert_int_equal(settled(m), 8 * PG);
	b = map(NULL, 3, RW, PRIV);
	assert_int_equal(settled(m), 11 * PG);
	/* PROT_NONE over a charged range (MAP_FIXED): it goes */
	map(c, 2, PROT_NONE, PRIV | MAP_FIXED);
	assert_int_equal(settled(m), 9 * PG);
	/* not charged: PROT_NONE, MAP_NORESERVE, shared */
	assert_int_equal(munmap(map(NULL, 100, PROT_NONE, PRIV), 100 * PG), 0);
	assert_int_equal(munmap(map(NULL, 100, RW, PRIV | MAP_NORESERVE),
				100 * PG), 0);
	assert_int_equal(munmap(map(NULL, 100, RW, MAP_SHARED | MAP_ANONYMOUS),
				100 * PG), 0);
	assert_int_equal(settled(m), 9 * PG);
	/* a failed mapping is not charged (an unaligned MAP_FIXED) */
	assert_true(mmap(c + 1, PG, RW, PRIV | MAP_FIXED, -1, 0) == MAP_FAILED);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(settled(m), 9 * PG);
	/* one munmap over a charged and an uncharged part */
	assert_int_equal(munmap(c, 7 * PG), 0);
	assert_int_equal(settled(m), 4 * PG);
	assert_int_equal(munmap(b, 3 * PG), 0);
	assert_int_equal(munmap(d, PG), 0);
	assert_int_equal(settled(m), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

static void *alloc_in(void *arg)
{
	void **p = arg;

	assert_int_equal(memcg_thread_attach(lookup("test/r1")), 0);
	*p = malloc(300);
	return NULL;
}

/* realloc charges the new block to the caller's cgroup, uncharges the
 * old one's; in place or moved, small or mmapped. */
static void test_realloc_moves(void **state)
{
	struct mem_cgroup *r1, *r2;
	pthread_t th;
	void *p;

	NEED_SHIM();
	r1 = make("test/r1", NULL);
	r2 = make("test/r2", NULL);
	assert_int_equal(pthread_create(&th, NULL, alloc_in, &p), 0);
	pthread_join(th, NULL);
	assert_int_equal(settled(r1), round_page(charged(p)));
	assert_int_equal(memcg_thread_attach(r2), 0);
	p = realloc(p, 1 << 20);	/* r1's block moves to r2 */
	assert_int_equal(settled(r1), 0);
	assert_int_equal(settled(r2), round_page(charged(p)));
	p = realloc(p, 3 << 20);
	assert_int_equal(settled(r2), round_page(charged(p)));
	p = realloc(p, 100);
	assert_int_equal(settled(r2), round_page(charged(p)));
	p = reallocarray(p, 1000, 10);
	assert_int_equal(settled(r2), round_page(charged(p)));
	free(p);
	assert_int_equal(settled(r2), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

/* Over memory.high: the event, and the allocations still succeed. */
static void test_high(void **state)
{
	struct mem_cgroup *m;
	void *p[9];
	int i;

	NEED_SHIM();
	m = make("test/high", NULL);
	assert_int_equal(memcg_write(m, "memory.high", "8M"), 0);
	assert_int_equal(memcg_thread_attach(m), 0);
	/* a little over: the kernel's penalty is a short sleep */
	for (i = 0; i < 8; i++)
		assert_non_null(p[i] = malloc((1 << 20) - 64));
	assert_non_null(p[8] = malloc(64 << 10));
	assert_true(keyed(m, "memory.events", "high") > 0);
	for (i = 0; i < 9; i++)
		free(p[i]);
	assert_int_equal(settled(m), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

/* A cache of malloc'd blocks that the engine's reclaim shrinks. */
struct cache {
	struct mem_cgroup *memcg;
	void *blocks[128];
	unsigned long nr, freed;
};

static unsigned long cache_count(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;

	return sc->memcg == c->memcg && c->nr ? c->nr : MEMCG_SHRINK_EMPTY;
}

/* Runs inside the shim's own charge: its frees must uncharge at once. */
static unsigned long cache_scan(void *priv, struct memcg_shrink_control *sc)
{
	struct cache *c = priv;
	unsigned long n = 0;

	if (sc->memcg != c->memcg)
		return 0;
	while (c->nr && n < sc->nr_to_scan) {
		free(c->blocks[--c->nr]);
		n++;
	}
	c->freed += n;
	return n;
}

static const struct memcg_shrinker_ops cache_ops = {
	.count_objects = cache_count,
	.scan_objects = cache_scan,
	.seeks = MEMCG_DEFAULT_SEEKS,
	.flags = MEMCG_SHRINKER_MEMCG_AWARE,
};

/* Over memory.max, reclaim shrinks the program's cache: malloc succeeds. */
static void test_shrinker(void **state)
{
	static struct cache c;
	struct memcg_shrinker *s;
	void *big;

	NEED_SHIM();
	c.memcg = make("test/shrink", "8M");
	assert_int_equal(memcg_shrinker_register(memcg_preload_engine(),
						 &cache_ops, &c, &s), 0);
	assert_int_equal(memcg_thread_attach(c.memcg), 0);
	for (c.nr = 0; c.nr < 100; c.nr++) {
		c.blocks[c.nr] = malloc(64 << 10);
		assert_non_null(c.blocks[c.nr]);
	}
	big = malloc(4 << 20);
	assert_non_null(big);
	assert_true(c.freed > 0);
	assert_true(read_ll(c.memcg, "memory.current") <= 8 << 20);
	assert_true(keyed(c.memcg, "memory.events", "max") > 0);
	free(big);
	while (c.nr)
		free(c.blocks[--c.nr]);
	memcg_shrinker_unregister(s);
	assert_int_equal(settled(c.memcg), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

/* A fork's child has its own engine; the parent's counts do not move. */
static void test_fork(void **state)
{
	struct memcg_engine *parent_engine = memcg_preload_engine();
	struct mem_cgroup *m;
	long long before;
	void *kept;
	int status;
	pid_t pid;

	NEED_SHIM();
	m = make("test/fork", NULL);
	assert_int_equal(memcg_thread_attach(m), 0);
	kept = malloc(100000);
	before = settled(m);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		void *p = malloc(1 << 20);	/* starts the child's engine */
		struct mem_cgroup *c = NULL;
		bool ok;

		free(kept);	/* charged in the parent: not uncharged here */
		ok = p && memcg_preload_engine() != parent_engine &&
		     !memcg_lookup(memcg_preload_engine(), "test/api", &c) &&
		     memcg_thread_cgroup() == c;
		memcg_thread_flush();
		if (ok)
			memcg_drain_all_stock(c);
		ok = ok && read_ll(c, "memory.current") >= (1 << 20);
		free(p);
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(settled(m), before);
	free(kept);
	assert_int_equal(settled(m), 0);
	assert_int_equal(memcg_thread_attach(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_cgroup),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_exact_threads),
		cmocka_unit_test(test_cross_threads),
		cmocka_unit_test(test_budget_lag),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_realloc_moves),
		cmocka_unit_test(test_high),
		cmocka_unit_test(test_shrinker),
		cmocka_unit_test(test_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
