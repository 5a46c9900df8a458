// SPDX-License-Identifier: MIT
/*
 * The engine: configuration, the frame arena, per-CPU areas, the slot and
 * id tables, and the root cgroup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/memcontrol.h"
#include "core/rstat.h"
#include "mm/lru_gen_memcg.h"
#include "mm/swapfile.h"
#include "mm/oom.h"
#include "mm/shrinker.h"

#define MEMCG_NR_SLOTS (1u << 20)

__thread int memcg_cpu_override = -1;

void memcg_set_cpu(int cpu)
{
	memcg_cpu_override = cpu < 0 ? -1 : cpu;
}

void memcg_config_init(struct memcg_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = MEMCG_MODE_V2;
	cfg->policy = MEMCG_POLICY_REPARENT;
	cfg->memory_bytes = 1UL << 30;
	cfg->huge_order = 9;
}

static unsigned default_nr_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (unsigned)n : 1;
}

static int check_config(const struct memcg_config *cfg)
{
	if (cfg->mode != MEMCG_MODE_V1 && cfg->mode != MEMCG_MODE_V2)
		return -EINVAL;
	if (cfg->policy != MEMCG_POLICY_REPARENT &&
	    cfg->policy != MEMCG_POLICY_KERNEL)
		return -EINVAL;
	if (cfg->memory_bytes < MEMCG_PAGE_SIZE || cfg->huge_order > 12 ||
	    cfg->nr_cpus > 4096)
		return -EINVAL;
	if (cfg->kernel > MEMCG_KERNEL_6_12 || cfg->reclaim > MEMCG_RECLAIM_MGLRU ||
	    cfg->charge_retries > MEMCG_RETRIES_KERNEL)
		return -EINVAL;
	if (cfg->uncharge > MEMCG_UNCHARGE_STOCK ||
	    cfg->nonresident_age > MEMCG_AGE_KERNEL)
		return -EINVAL;
	/* Debian's 6.12 is built without CONFIG_MEMCG_V1 */
	if (cfg->kernel == MEMCG_KERNEL_6_12 && cfg->mode == MEMCG_MODE_V1)
		return -EOPNOTSUPP;
	/* MGLRU follows 6.12's lru_gen; 6.1's older one is not modelled */
	if (memcg_config_reclaim(cfg) == MEMCG_RECLAIM_MGLRU &&
	    cfg->kernel != MEMCG_KERNEL_6_12)
		return -EOPNOTSUPP;
	if (cfg->cpu_locks > MEMCG_CPU_LOCKS_RSEQ ||
	    (cfg->cpu_locks == MEMCG_CPU_LOCKS_RSEQ &&
	     (cfg->deterministic ||
	      (cfg->nr_cpus && cfg->nr_cpus < default_nr_cpus()))))
		return -EINVAL;
	return 0;
}

/*
 * rseq locks need the thread on the area's CPU, so every CPU must have
 * an area; a deterministic engine's CPUs are not the machine's.
 */
static int choose_cpu_locks(struct memcg_engine *e)
{
	bool rseq;

	if (e->cfg.cpu_locks == MEMCG_CPU_LOCKS_ATOMIC)
		return 0;
	rseq = pcpu_rseq_available();
	if (e->cfg.cpu_locks == MEMCG_CPU_LOCKS_RSEQ) {
		e->rseq_locks = rseq;
		return rseq ? 0 : -EOPNOTSUPP;
	}
	e->rseq_locks = rseq && !e->cfg.deterministic &&
			e->nr_cpus >= default_nr_cpus();
	return 0;
}

enum memcg_cpu_locks memcg_engine_cpu_locks(const struct memcg_engine *e)
{
	return e->rseq_locks ? MEMCG_CPU_LOCKS_RSEQ : MEMCG_CPU_LOCKS_ATOMIC;
}

static int engine_alloc_tables(struct memcg_engine *e)
{
	e->cpus = aligned_alloc(MEMCG_CACHELINE, e->nr_cpus * sizeof(*e->cpus));
	e->slots = calloc(MEMCG_NR_SLOTS, sizeof(*e->slots));
	e->ids = calloc(MEM_CGROUP_ID_MAX + 1, sizeof(*e->ids));
	e->id_bitmap = calloc(MEM_CGROUP_ID_MAX / 64 + 1, sizeof(uint64_t));
	if (!e->cpus || !e->slots || !e->ids || !e->id_bitmap)
		return -ENOMEM;
	memset(e->cpus, 0, e->nr_cpus * sizeof(*e->cpus));
	e->nr_slots = MEMCG_NR_SLOTS;
	e->slot_next_unused = 1;	/* slot 0 means "uncharged" */
	return lru_gen_memcg_create(e);
}

static void engine_free(struct memcg_engine *e)
{
	swap_device_destroy(e->swap);
	folio_arena_destroy(e->arena);
	free(e->cpus);
	free(e->slots);
	free(e->ids);
	free(e->id_bitmap);
	memcg_rstat_exit(e);
	lru_gen_memcg_destroy(e);
	pthread_mutex_destroy(&e->cgroup_mutex);
	pthread_mutex_destroy(&e->drain_mutex);
	pthread_mutex_destroy(&e->id_lock);
	pthread_mutex_destroy(&e->oom_lock);
	pthread_mutex_destroy(&e->victims_lock);
	pthread_rwlock_destroy(&e->shrinker_rwsem);
	free(e);
}

int memcg_engine_create(const struct memcg_config *cfg, struct memcg_engine **out)
{
	struct memcg_config defaults;
	struct memcg_engine *e;
	size_t frames;
	int err;

	if (!out)
		return -EINVAL;
	if (!cfg) {
		memcg_config_init(&defaults);
		cfg = &defaults;
	}
	err = check_config(cfg);
	if (err)
		return err;
	memcg_rcu_fork_init();
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = *cfg;
	if (!e->cfg.huge_order)
		e->cfg.huge_order = 9;
	e->v1 = cfg->mode == MEMCG_MODE_V1;
	e->nr_cpus = cfg->nr_cpus ? cfg->nr_cpus : default_nr_cpus();
	err = choose_cpu_locks(e);
	if (err) {
		free(e);
		return err;
	}
	pthread_mutex_init(&e->cgroup_mutex, NULL);
	pthread_mutex_init(&e->drain_mutex, NULL);
	pthread_mutex_init(&e->id_lock, NULL);
	pthread_mutex_init(&e->oom_lock, NULL);
	memcg_victims_init(e);
	memcg_shrinkers_init(e);

	frames = cfg->memory_bytes / MEMCG_PAGE_SIZE;
	err = folio_arena_create(frames, cfg->dataless, e->cfg.huge_order,
				 &e->arena);
	if (!err) {
		e->folio_base = (uintptr_t)folio_arena_folios(e->arena);
		e->folio_bytes = folio_arena_nr_frames(e->arena) *
				 sizeof(struct folio);
		err = engine_alloc_tables(e);
	}
	if (!err)
		err = memcg_rstat_init(e);
	if (!err && !(e->root = mem_cgroup_alloc_root(e)))
		err = -ENOMEM;
	if (err) {
		engine_free(e);
		return err;
	}
	folio_arena_set_deterministic(e->arena, e->cfg.deterministic);
	folio_arena_set_rseq(e->arena, e->rseq_locks);
	*out = e;
	return 0;
}

void memcg_engine_destroy(struct memcg_engine *e)
{
	size_t used;
	long left;

	if (!e)
		return;
	if (e->folio_client && e->folio_client->release)
		e->folio_client->release(e->folio_client_priv);
	e->folio_client = NULL;
	memcg_victims_release(e);
	memcg_shrinkers_release(e);
	swap_cache_drop_all(e);
	mem_cgroup_destroy_tree(e);
	rcu_barrier();
	left = atomic_load(&e->nr_memcgs);
	if (left)
		fprintf(stderr, "libmemcg: %ld cgroups still referenced at "
			"engine destroy\n", left);
	used = folio_arena_nr_frames(e->arena) - folio_arena_nr_free(e->arena);
	if (used)
		fprintf(stderr, "libmemcg: %zu frames still allocated at "
			"engine destroy\n", used);
	engine_free(e);
}
