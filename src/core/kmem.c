// SPDX-License-Identifier: MIT
/*
 * Kernel memory in whole pages: the page path under object charges,
 * kernel pages charged through an objcg (__memcg_kmem_charge_page), their
 * split, and socket buffers (mem_cgroup_sk_*).
 *
 * A kernel folio charged through an objcg holds one reference on it and
 * none on any cgroup; its memcg_data is MEMCG_DATA_KMEM | the objcg's
 * slot. It is freed with memcg_kmem_uncharge_page() only: the generic
 * final put does not know kernel folios.
 *
 * Sockets charge the cgroup they were created in, which they pin (the
 * kernel's sk->sk_memcg holds a css reference); v2 charges the memory
 * counter and counts the sock stat, v1 charges the separate tcpmem
 * counter, and only once memory.kmem.tcp.limit_in_bytes was written.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/objcg.h"
#include "core/stock.h"

struct memcg_sock {
	struct mem_cgroup *memcg;	/* referenced; NULL: not accounted */
	struct memcg_engine *engine;
};

/**
 * obj_cgroup_charge_pages - charge @nr_pages kernel pages to @objcg's cgroup
 * @objcg: objcg the caller holds a reference on
 * @gfp: MEMCG_GFP_* flags
 * @nr_pages: pages
 *
 * Return: 0 or -ENOMEM.
 */
int obj_cgroup_charge_pages(struct obj_cgroup *objcg, unsigned gfp,
			    unsigned nr_pages)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_objcg(objcg);
	int ret;

	ret = try_charge_memcg(memcg, gfp, nr_pages);
	if (!ret) {
		mod_memcg_state(memcg, MEMCG_KERNEL, nr_pages);
		memcg_account_kmem(memcg, nr_pages);
	}
	css_put(memcg);
	return ret;
}

/**
 * obj_cgroup_uncharge_pages_ref - the counters' half of an uncharge
 * @memcg: the cgroup, with a reference the call drops; its kernel stat
 *         was already lowered
 * @nr_pages: pages
 *
 * The pages go to this CPU's page stock, as the kernel's refill_stock();
 * those of a cgroup gone offline meanwhile go straight to the counters,
 * so that no stock slot keeps it dying.
 */
void obj_cgroup_uncharge_pages_ref(struct mem_cgroup *memcg, unsigned nr_pages)
{
	memcg_account_kmem(memcg, -(long)nr_pages);
	if (!mem_cgroup_is_root(memcg)) {
		if (atomic_load(&memcg->online))
			refill_stock(memcg, nr_pages);
		else
			memcg_uncharge(memcg, nr_pages);
	}
	css_put(memcg);
}

/**
 * obj_cgroup_uncharge_pages - uncharge @nr_pages kernel pages
 * @objcg: objcg they were charged through
 * @nr_pages: pages
 */
void obj_cgroup_uncharge_pages(struct obj_cgroup *objcg, unsigned nr_pages)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_objcg(objcg);

	mod_memcg_state(memcg, MEMCG_KERNEL, -(long)nr_pages);
	obj_cgroup_uncharge_pages_ref(memcg, nr_pages);
}

/* --- kernel pages --- */

static bool folio_is_kmem(const struct folio *folio)
{
	return folio_memcg_data(folio) & MEMCG_DATA_KMEM;
}

int memcg_kmem_charge_page(struct memcg_engine *e, struct obj_cgroup *objcg,
			   unsigned gfp, unsigned order, struct folio **out)
{
	struct folio *folio;
	int ret;

	if (!e || !objcg || !out || objcg->engine != e)
		return -EINVAL;
	if (order != 0 && order != folio_arena_huge_order(e->arena))
		return -EINVAL;
	folio = folio_alloc(e->arena, FOLIO_KERNEL, order);
	if (!folio)
		return -ENOMEM;
	ret = obj_cgroup_charge_pages(objcg, gfp, 1u << order);
	if (ret) {
		folio_put_testzero(folio);
		folio_free(e->arena, folio);
		mem_cgroup_release_pending(e);
		return ret;
	}
	obj_cgroup_get(objcg);
	folio_set_memcg_data(folio, MEMCG_DATA_KMEM | objcg->slot);
	*out = folio;
	mem_cgroup_release_pending(e);
	mem_cgroup_return_to_user(e, gfp);
	return 0;
}

int memcg_kmem_uncharge_page(struct memcg_engine *e, struct folio *folio)
{
	struct obj_cgroup *objcg;

	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_KERNEL)
		return -EINVAL;
	if (folio_memcg_data(folio) && !folio_is_kmem(folio))
		return -EINVAL;	/* charged to a cgroup: memcg_folio_put() */
	if (folio_ref_count(folio) != 1)
		return -EBUSY;
	objcg = folio_objcg(e, folio);
	if (objcg) {
		obj_cgroup_uncharge_pages(objcg, (unsigned)folio_nr_pages(folio));
		folio_set_memcg_data(folio, 0);
		obj_cgroup_put(objcg);
	}
	folio_put_testzero(folio);
	folio_free(e->arena, folio);
	mem_cgroup_release_pending(e);
	return 0;
}

int memcg_kmem_split_page(struct memcg_engine *e, struct folio *folio,
			  struct folio **out)
{
	struct obj_cgroup *objcg;
	uint32_t pfn;
	long i, nr;

	if (!folio_of_engine(e, folio) || folio_type(folio) != FOLIO_KERNEL)
		return -EINVAL;
	if (folio_memcg_data(folio) && !folio_is_kmem(folio))
		return -EINVAL;
	nr = folio_nr_pages(folio);
	if (nr == 1)
		return -EINVAL;
	objcg = folio_objcg(e, folio);
	pfn = folio_pfn(e->arena, folio);
	/* split_page_memcg: every page keeps the objcg and gets a ref */
	if (objcg)
		obj_cgroup_get_many(objcg, nr - 1);
	folio_split(e->arena, folio);
	if (out)
		for (i = 0; i < nr; i++)
			out[i] = pfn_folio(e->arena, pfn + (uint32_t)i);
	return 0;
}

struct obj_cgroup *memcg_kmem_folio_objcg(struct memcg_engine *e,
					  struct folio *folio)
{
	return folio_objcg(e, folio);
}

/* --- sockets --- */

int memcg_sock_alloc(struct mem_cgroup *memcg, struct memcg_sock **out)
{
	struct memcg_sock *sk;

	if (!memcg || !out)
		return -EINVAL;
	sk = calloc(1, sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	sk->engine = memcg->engine;
	/*
	 * mem_cgroup_sk_alloc: not in the root; on v1 only once the tcp
	 * limit was set; a reference unless the cgroup is already gone.
	 */
	if (!mem_cgroup_is_root(memcg) &&
	    (!memcg->engine->v1 ||
	     __atomic_load_n(&memcg->v1->tcpmem_active, __ATOMIC_ACQUIRE)) &&
	    css_tryget_online(memcg))
		sk->memcg = memcg;
	*out = sk;
	return 0;
}

void memcg_sock_free(struct memcg_sock *sk)
{
	struct memcg_engine *e;

	if (!sk)
		return;
	e = sk->engine;
	if (sk->memcg)
		css_put(sk->memcg);
	free(sk);
	mem_cgroup_release_pending(e);
}

struct mem_cgroup *memcg_sock_memcg(struct memcg_sock *sk)
{
	return sk ? sk->memcg : NULL;
}

int memcg_sock_charge(struct memcg_sock *sk, unsigned nr_pages, unsigned gfp)
{
	struct mem_cgroup *memcg = sk ? sk->memcg : NULL;
	struct page_counter *fail;
	int ret;

	if (!memcg)
		return 0;
	if (memcg->engine->v1) {
		/* memcg1_charge_skmem: the tcpmem counter only */
		if (!page_counter_try_charge(&memcg->v1->tcpmem, nr_pages, &fail)) {
			if (!(gfp & MEMCG_GFP_NOFAIL))
				return -ENOMEM;
			page_counter_charge(&memcg->v1->tcpmem, nr_pages);
		}
		/* not shown by v1, kept so that the auditor can count */
		mod_memcg_state(memcg, MEMCG_SOCK, nr_pages);
		return 0;
	}
	ret = try_charge_memcg(memcg, gfp, nr_pages);
	if (!ret)
		mod_memcg_state(memcg, MEMCG_SOCK, nr_pages);
	mem_cgroup_release_pending(memcg->engine);
	mem_cgroup_return_to_user(memcg->engine, gfp);
	return ret;
}

void memcg_sock_uncharge(struct memcg_sock *sk, unsigned nr_pages)
{
	struct mem_cgroup *memcg = sk ? sk->memcg : NULL;

	if (!memcg)
		return;
	mod_memcg_state(memcg, MEMCG_SOCK, -(long)nr_pages);
	if (memcg->engine->v1)
		page_counter_uncharge(&memcg->v1->tcpmem, nr_pages);
	else if (atomic_load(&memcg->online))
		refill_stock(memcg, nr_pages);
	else
		memcg_uncharge(memcg, nr_pages);	/* keep no dying cgroup stocked */
}
