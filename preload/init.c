// SPDX-License-Identifier: MIT
/*
 * Start-up: the shim starts at the first charge once libc has set up
 * environ (a constructor of another library, or the dynamic loader, may
 * allocate before the shim's own constructor runs), or at its constructor
 * at the latest. One thread starts it; allocations made meanwhile, the
 * starter's own included (the engine allocates), are not charged.
 *
 * Starting reads the environment, creates the engine (data-less: page
 * charges need no frames, so the arena is one huge page and memory.max
 * may be anything), the cgroup MEMCG_CGROUP names with its missing
 * parents, and writes MEMCG_MAX and MEMCG_HIGH. Bad input prints one line
 * and exits with status 1, or with MEMCG_STRICT=0 leaves the process
 * unaccounted (preload_off).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

enum { PRELOAD_UNINIT, PRELOAD_STARTING, PRELOAD_READY };

static int state = PRELOAD_UNINIT;
static struct memcg_engine *engine;
static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;

struct preload_env preload_env = { .strict = true };
unsigned preload_default_slot;
bool preload_off;

/** preload_ready - whether the shim has started */
bool preload_ready(void)
{
	return __atomic_load_n(&state, __ATOMIC_ACQUIRE) == PRELOAD_READY;
}

static struct memcg_engine *engine_create(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e = NULL;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 2u << 20;
	cfg.dataless = true;
	return memcg_engine_create(&cfg, &e) ? NULL : e;
}

/**
 * preload_engine_get - the shim's engine, created on first use
 *
 * Return: the engine, or NULL if it cannot be created.
 */
struct memcg_engine *preload_engine_get(void)
{
	struct preload_thread *t = &preload_tls;
	struct memcg_engine *e = __atomic_load_n(&engine, __ATOMIC_ACQUIRE);

	if (e)
		return e;
	preload_enter(t);
	pthread_mutex_lock(&engine_lock);
	e = engine;
	if (!e) {
		e = engine_create();
		__atomic_store_n(&engine, e, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&engine_lock);
	preload_leave(t);
	return e;
}

PRELOAD_EXPORT struct memcg_engine *memcg_preload_engine(void)
{
	preload_init();
	return preload_engine_get();
}

/* mkdir -p: every missing level of @path; the last one is looked up. */
static int mkdir_p(struct memcg_engine *e, const char *path,
		   struct mem_cgroup **out)
{
	char buf[4096];
	size_t i, len = strlen(path);
	int err;

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i])
			continue;
		buf[i] = '\0';
		err = memcg_mkdir(e, buf, NULL);
		if (err && err != -EEXIST)
			return err;
		buf[i] = path[i];
	}
	return memcg_lookup(e, path, out);
}

static int write_limit(struct mem_cgroup *memcg, const char *file,
		       const char *var, const char *val, char *msg, size_t len)
{
	int err;

	if (!val)
		return 0;
	err = memcg_write(memcg, file, val);
	if (err)
		snprintf(msg, len, "memcg-preload: %s=\"%.100s\": not a value for "
			 "%s (%s)", var, val, file, strerror(-err));
	return err;
}

/* The default cgroup: created, limited, given a slot. */
static int setup_cgroup(const struct preload_env *env, char *msg, size_t len)
{
	struct memcg_engine *e = preload_engine_get();
	struct mem_cgroup *memcg;
	int err;

	if (!e) {
		snprintf(msg, len, "memcg-preload: MEMCG_CGROUP=\"%.100s\": cannot "
			 "create the engine", env->cgroup);
		return -ENOMEM;
	}
	err = mkdir_p(e, env->cgroup, &memcg);
	if (err) {
		snprintf(msg, len, "memcg-preload: MEMCG_CGROUP=\"%.100s\": %s",
			 env->cgroup, strerror(-err));
		return err;
	}
	err = write_limit(memcg, "memory.max", "MEMCG_MAX", env->max, msg, len);
	if (!err)
		err = write_limit(memcg, "memory.high", "MEMCG_HIGH", env->high,
				  msg, len);
	if (!err) {
		err = preload_owner_slot(memcg);
		if (err > 0)
			preload_default_slot = (unsigned)err;
		else
			snprintf(msg, len, "memcg-preload: MEMCG_CGROUP=\"%.100s\": "
				 "%s", env->cgroup, strerror(-err));
	}
	memcg_put(memcg);
	return err < 0 ? err : 0;
}

static void bad_input(const char *msg)
{
	if (preload_env.strict) {
		preload_say("%s", msg);
		_exit(1);
	}
	preload_say("%s; running unaccounted (MEMCG_STRICT=0)", msg);
	preload_off = true;
	preload_default_slot = 0;
}

static void start(void)
{
	char msg[512];

	preload_thread_keys_init();
	if (preload_env_parse(&preload_env, msg, sizeof(msg))) {
		bad_input(msg);
		return;
	}
	if (preload_env.cgroup && setup_cgroup(&preload_env, msg, sizeof(msg)))
		bad_input(msg);
	else
		preload_report_open();
}

/**
 * preload_init - start the shim, if libc is ready and no thread has
 *
 * Returns at once while another thread is starting it: the caller goes on
 * unaccounted.
 */
void preload_init(void)
{
	struct preload_thread *t = &preload_tls;
	int expected = PRELOAD_UNINIT;

	if (likely(preload_ready()) || !environ || t->depth)
		return;
	if (!__atomic_compare_exchange_n(&state, &expected, PRELOAD_STARTING,
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return;
	preload_enter(t);
	start();
	preload_leave(t);
	__atomic_store_n(&state, PRELOAD_READY, __ATOMIC_RELEASE);
}

/**
 * preload_init_fork_child - a fork's child starts again, with its own
 * engine, at its first charge; the parent's is left as it was
 */
void preload_init_fork_child(void)
{
	engine = NULL;
	engine_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	preload_default_slot = 0;
	if (!preload_off)
		state = PRELOAD_UNINIT;
}

__attribute__((constructor)) static void preload_constructor(void)
{
	struct preload_thread *t = &preload_tls;

	preload_boot_needed();	/* look up malloc_usable_size now */
	preload_init();
	if (!t->depth && t->state == PT_NEW)
		preload_thread_start(t);
}

__attribute__((destructor)) static void preload_destructor(void)
{
	struct preload_thread *t = &preload_tls;

	if (t->state == PT_ACCOUNTED && !t->depth)
		preload_budget_flush(t);
	preload_report();
}
