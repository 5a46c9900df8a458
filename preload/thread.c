// SPDX-License-Identifier: MIT
/*
 * The calling thread's cgroup: the process's default (MEMCG_CGROUP) from
 * its first charge, or the one memcg_thread_attach() chose; and the
 * return of its budget when it exits, from a pthread key's destructor.
 * An exiting thread charges and uncharges through its cgroup's remainder
 * (frees and allocations of later destructors); its destructor is armed
 * again when it goes back to a budget.
 */
#include <errno.h>
#include <pthread.h>

#include "shim.h"

__thread struct preload_thread preload_tls
	__attribute__((tls_model("initial-exec")));

static pthread_key_t exit_key;
static bool exit_key_ok;

static void thread_exit(void *arg)
{
	struct preload_thread *t = &preload_tls;

	t->armed = 0;
	if (t->state != PT_ACCOUNTED)
		return;
	preload_budget_flush(t);
	t->state = PT_EXITING;
}

/** preload_thread_keys_init - the thread-exit destructor's key */
void preload_thread_keys_init(void)
{
	if (!exit_key_ok)
		exit_key_ok = !pthread_key_create(&exit_key, thread_exit);
}

static void arm_exit(struct preload_thread *t)
{
	if (t->armed || !exit_key_ok)
		return;
	preload_enter(t);
	t->armed = !pthread_setspecific(exit_key, (void *)1);
	preload_leave(t);
}

/* Charge @slot from now on (0: nothing), through a new budget. */
static void thread_use(struct preload_thread *t, unsigned slot)
{
	t->slot = (uint16_t)slot;
	t->budget = 0;
	t->state = slot ? PT_ACCOUNTED : PT_UNACCOUNTED;
	if (slot)
		arm_exit(t);
}

/**
 * preload_thread_start - a new thread's first charge: the default cgroup,
 * once the shim is ready (it starts it if it can); until then the thread
 * stays new and is not charged
 * @t: the calling thread
 */
void preload_thread_start(struct preload_thread *t)
{
	if (!preload_ready()) {
		preload_init();
		if (!preload_ready())
			return;
	}
	thread_use(t, preload_default_slot);
}

PRELOAD_EXPORT int memcg_thread_attach(struct mem_cgroup *memcg)
{
	struct preload_thread *t = &preload_tls;
	int slot;

	if (t->depth)
		return -EBUSY;
	preload_init();
	if (!preload_ready() || preload_off)
		return -ENODEV;
	slot = (int)preload_default_slot;
	if (memcg) {
		preload_enter(t);
		slot = preload_owner_slot(memcg);
		preload_leave(t);
		if (slot < 0)
			return slot;
	}
	if (t->state == PT_ACCOUNTED)
		preload_budget_flush(t);
	thread_use(t, (unsigned)slot);
	return 0;
}

PRELOAD_EXPORT struct mem_cgroup *memcg_thread_cgroup(void)
{
	unsigned slot = preload_charge_slot(&preload_tls);

	return slot ? preload_owner_memcg(slot) : NULL;
}

PRELOAD_EXPORT void memcg_thread_flush(void)
{
	struct preload_thread *t = &preload_tls;

	if (t->state == PT_ACCOUNTED && !t->depth)
		preload_budget_flush(t);
}

/** preload_thread_fork_child - the forking thread starts again, as new */
void preload_thread_fork_child(void)
{
	struct preload_thread *t = &preload_tls;

	t->budget = 0;
	t->slot = 0;
	t->state = PT_NEW;
}
