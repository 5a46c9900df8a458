// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: random calls of the public API (include/memcg/)
 * driven by the input's bytes, misuse included, the invariant auditor
 * (tests/helpers/audit.h) after every call.
 *
 * Each input runs on two fresh small engines: A (v1 or v2, chosen by the
 * first byte, with swap) where the work happens, and B, whose folios,
 * cgroups and tasks are passed to A's entry points, which must refuse
 * them with -EINVAL and change nothing. Every reference the fuzzer holds
 * is one entry of its tables (a cgroup handle, a folio reference, a swap
 * entry reference, an objcg handle, an object, a kernel folio, a socket,
 * an open file, a task), so that it never drops one it does not hold;
 * the auditor is told of the cgroup references among them.
 *
 * Misuse checked:
 * - another engine's folio or cgroup at every folio and cgroup entry
 *   point: -EINVAL, both engines unchanged (their audits, the folio's
 *   reference count and owner);
 * - memcg_put(NULL), memcg_folio_put(e, NULL) and the other NULL puts:
 *   no-ops;
 * - a cgroup put once too often: in a forked child, which must abort
 *   with a message naming the cgroup (at the put after rmdir, or at the
 *   rmdir for a put made before);
 * - sizes near 2^64 at every size entry point: refused, never wrapped.
 *
 * The misuse is fuzz_api_misuse.c's.
 *
 * Built by tools/memcg/CMakeLists.txt with Clang only; scripts/fuzz.sh
 * runs it for a bounded time.
 */
#include "fuzz_api.h"

static const char *const paths[] = {
	"A", "B", "A/C", "A/D", "B/E", "A/C/F", ".", "A/./C", "A/../B",
	"memory.max", "A/memory.max/X", "A//D/", "..", "",
};

static const char *const files[] = {
	"memory.max", "memory.high", "memory.low", "memory.min",
	"memory.swap.max", "memory.swap.high", "memory.reclaim",
	"memory.oom.group", "memory.peak", "memory.current", "memory.stat",
	"memory.events", "cgroup.stat", "memory.limit_in_bytes",
	"memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes",
	"memory.kmem.tcp.limit_in_bytes", "memory.force_empty",
	"memory.move_charge_at_immigrate", "memory.swappiness",
	"memory.use_hierarchy", "memory.max_usage_in_bytes", "memory.pressure",
	"cgroup.max.depth", "cgroup.max.descendants", "memory.zswap.max",
};

/* Values, sizes near 2^64 among them. */
static const char *const values[] = {
	"0", "1", "4096", "64K", "1M", "4M", "max", "-1", "18446744073709551615",
	"18446744073709551616", "9223372036854775807", "9223372036854775808",
	"16777216T", "17179869184G", "99999999999999999999", "0x10", " 2M\n",
	"1M swappiness=0", "1M swappiness=200", "", "\n", "1 2", "-0",
	"9223372036854771712",
};

/* Sizes for the size_t entry points: small ones and ones near 2^64. */
static size_t pick_size(struct world *w, size_t small_max);

uint8_t byte(struct world *w)
{
	return w->pos < w->size ? w->data[w->pos++] : 0;
}

unsigned pick(struct world *w, unsigned n)
{
	return n ? byte(w) % n : 0;
}

static size_t pick_size(struct world *w, size_t small_max)
{
	uint8_t b = byte(w);

	if (b >= 0xf0)
		return SIZE_MAX - (size_t)(b & 0x0f) * 4095;
	if (b >= 0xe0)
		return (SIZE_MAX >> 1) + (size_t)(b & 0x0f);
	return (size_t)(((unsigned)b << 8 | byte(w)) % (small_max + 1));
}

#define PICK(w, arr) ((arr)[pick(w, sizeof(arr) / sizeof((arr)[0]))])

static void audit(struct world *w)
{
	struct audit_hold holds[NR_CG + 2 * NR_SMALL];
	size_t n = 0;
	int i;

	for (i = 0; i < w->nr_cg; i++)
		holds[n++] = (struct audit_hold){ w->cg[i], 1 };
	for (i = 0; i < w->nr_file; i++)
		holds[n++] = (struct audit_hold){ w->file_cg[i], 1 };
	for (i = 0; i < w->nr_sock; i++)
		if (w->sock[i].memcg)
			holds[n++] = (struct audit_hold){ w->sock[i].memcg, 1 };
	CHECK(memcg_audit(w->a, holds, n) == 0);
	holds[0] = (struct audit_hold){ w->b_cg, 1 };
	CHECK(memcg_audit(w->b, holds, 1) == 0);
}

struct mem_cgroup *any_cg(struct world *w)
{
	unsigned i = pick(w, (unsigned)w->nr_cg + 1);

	return i < (unsigned)w->nr_cg ? w->cg[i] : memcg_root(w->a);
}

static void add_cg(struct world *w, struct mem_cgroup *cg)
{
	if (w->nr_cg < NR_CG)
		w->cg[w->nr_cg++] = cg;
	else
		memcg_put(cg);
}

static void add_folio(struct world *w, struct folio *f)
{
	if (w->nr_folio < NR_FOLIOS)
		w->folio[w->nr_folio++] = f;
	else
		memcg_folio_put(w->a, f);
}

static void drop_folio(struct world *w, int i)
{
	memcg_folio_put(w->a, w->folio[i]);
	w->folio[i] = w->folio[--w->nr_folio];
}

static void drop_entry(struct world *w, int i)
{
	CHECK(memcg_swap_free(w->a, w->entry[i]) == 0);
	w->entry[i] = w->entry[--w->nr_entry];
}

int any_folio(struct world *w)
{
	return w->nr_folio ? (int)pick(w, (unsigned)w->nr_folio) : -1;
}

/* A folio the fuzzer holds the only reference on, or -1. */
static int exclusive_folio(struct world *w)
{
	int i = any_folio(w);

	return i >= 0 && folio_ref_count(w->folio[i]) == 1 ? i : -1;
}

/* --- the cgroup tree and control files --- */

static void op_mkdir(struct world *w)
{
	struct mem_cgroup *cg;
	bool want = byte(w) & 1;

	if (!memcg_mkdir(w->a, PICK(w, paths), want ? &cg : NULL) && want)
		add_cg(w, cg);
}

static void op_lookup(struct world *w)
{
	struct mem_cgroup *cg;

	if (!memcg_lookup(w->a, PICK(w, paths), &cg))
		add_cg(w, cg);
}

static void op_cg_ref(struct world *w)
{
	int i;

	if (!w->nr_cg)
		return;
	i = (int)pick(w, (unsigned)w->nr_cg);
	if (byte(w) & 1) {
		memcg_get(w->cg[i]);
		add_cg(w, w->cg[i]);
	} else if (byte(w) & 1 && memcg_tryget_online(w->cg[i])) {
		add_cg(w, w->cg[i]);
	} else {
		memcg_put(w->cg[i]);
		w->cg[i] = w->cg[--w->nr_cg];
	}
}

static void op_write(struct world *w)
{
	struct mem_cgroup *cg = any_cg(w);
	const char *file = PICK(w, files), *v = PICK(w, values);
	char buf[64];

	switch (pick(w, 3)) {
	case 0:
		memcg_write(cg, file, v);
		break;
	case 1: {	/* a length past the buffer: refused before reading */
		int ret = memcg_write_len(cg, file, v, pick_size(w, 0) |
					  (((size_t)1 << 12) + 1));

		/*
		 * -E2BIG, or what open(2) says first: -ENOENT for a file the
		 * cgroup lacks, -ENODEV once the cgroup is removed
		 */
		CHECK(ret == -E2BIG || ret == -ENOENT || ret == -ENODEV ||
		      ret == -EINVAL);
		break;
	}
	default:	/* NULs and 0xa0 */
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), "%s", v);
		buf[pick(w, 20)] = (char)(byte(w) & 1 ? 0xa0 : 0);
		memcg_write_len(cg, file, buf, pick(w, 24));
		break;
	}
}

static void op_read(struct world *w)
{
	char buf[4096];
	size_t len = byte(w) & 1 ? sizeof(buf) : pick(w, 16);

	memcg_read(any_cg(w), PICK(w, files), buf, len);
	if (w->nr_cg)
		memcg_path(w->cg[pick(w, (unsigned)w->nr_cg)], buf,
			   pick(w, 8));
}

static void op_rmdir(struct world *w)
{
	memcg_rmdir(w->a, PICK(w, paths));
}

static void op_file(struct world *w)
{
	char buf[256];

	if (w->nr_file && byte(w) & 1) {
		int i = (int)pick(w, (unsigned)w->nr_file);

		memcg_file_write(w->file[i], PICK(w, values));
		memcg_file_read(w->file[i], buf, sizeof(buf));
		if (byte(w) & 1) {
			memcg_file_close(w->file[i]);
			w->nr_file--;
			w->file[i] = w->file[w->nr_file];
			w->file_cg[i] = w->file_cg[w->nr_file];
		}
	} else if (w->nr_file < NR_SMALL) {
		struct mem_cgroup *cg = any_cg(w);

		if (!memcg_open(cg, PICK(w, files), &w->file[w->nr_file]))
			w->file_cg[w->nr_file++] = cg;
	}
}

/* --- folios --- */

static void op_alloc(struct world *w)
{
	unsigned order = byte(w) & 1 ? HUGE_ORDER : 0;
	struct folio *f = memcg_folio_alloc(w->a,
		(enum memcg_folio_type)pick(w, 3), order);

	if (!f)
		return;
	add_folio(w, f);
	if (byte(w) & 1)	/* -EINVAL when charged, else 0 or -ENOMEM */
		memcg_charge(w->a, f, any_cg(w), byte(w) & 0x1f);
}

static void op_charge(struct world *w)
{
	int i = any_folio(w);

	if (i >= 0)
		memcg_charge(w->a, w->folio[i], any_cg(w), byte(w) & 0x1f);
}

static void op_folio_ref(struct world *w)
{
	int i = any_folio(w);

	if (i < 0)
		return;
	if (byte(w) & 1) {
		memcg_folio_get(w->a, w->folio[i]);
		add_folio(w, w->folio[i]);
	} else if (byte(w) & 1) {
		drop_folio(w, i);
	} else {	/* a batch of up to 4 */
		struct folio *batch[4];
		unsigned n = pick(w, 4) + 1, k;

		for (k = 0; k < n && w->nr_folio; k++) {
			batch[k] = w->folio[w->nr_folio - 1];
			w->nr_folio--;
		}
		memcg_folios_put(w->a, batch, k);
	}
}

static void op_migrate(struct world *w)
{
	int i = any_folio(w), j = any_folio(w);

	if (i < 0 || i == j)
		return;
	if (byte(w) & 1)
		memcg_migrate(w->a, w->folio[i], w->folio[j]);
	else
		memcg_replace_folio(w->a, w->folio[i], w->folio[j]);
}

static void op_split(struct world *w)
{
	struct folio *pieces[1u << HUGE_ORDER];
	int i = exclusive_folio(w);
	unsigned k;

	if (i < 0 || folio_order(w->folio[i]) == 0)
		return;
	if (memcg_split_folio(w->a, w->folio[i], pieces))
		return;
	w->folio[i] = pieces[0];
	for (k = 1; k < 1u << HUGE_ORDER; k++)
		add_folio(w, pieces[k]);
}

static void op_move_account(struct world *w)
{
	int i = any_folio(w);

	if (i >= 0)
		memcg_move_account(w->a, w->folio[i], any_cg(w));
}

/* --- swap --- */

static void op_swap_out(struct world *w)
{
	memcg_swp_entry_t entry;
	int i = exclusive_folio(w);
	long nr, k;

	if (i < 0)
		return;
	nr = memcg_folio_nr_pages(w->folio[i]);
	if (w->nr_entry + nr > NR_ENTRIES)
		return;
	if (memcg_swap_out(w->a, w->folio[i], &entry))
		return;
	w->folio[i] = w->folio[--w->nr_folio];
	for (k = 0; k < nr; k++)
		w->entry[w->nr_entry++].val = entry.val + (uint32_t)k;
}

static void op_swap_entry(struct world *w)
{
	struct folio *f;
	int i;

	if (!w->nr_entry)
		return;
	i = (int)pick(w, (unsigned)w->nr_entry);
	switch (pick(w, 4)) {
	case 0:
		if (w->nr_entry < NR_ENTRIES &&
		    !memcg_swap_dup(w->a, w->entry[i]))
			w->entry[w->nr_entry++] = w->entry[i];
		break;
	case 1:
		drop_entry(w, i);
		break;
	case 2:
		if (memcg_swapin(w->a, w->entry[i], byte(w) & 1 ? any_cg(w) :
				 NULL, byte(w) & 0x1f, &f))
			break;
		add_folio(w, f);
		if (byte(w) & 1) {	/* the page table's reference goes */
			memcg_swp_entry_t e = w->entry[i];

			drop_entry(w, i);
			memcg_folio_free_swap(w->a, f, e);
		}
		break;
	default:
		if (w->nr_folio)
			memcg_folio_free_swap(w->a, w->folio[any_folio(w)],
					      w->entry[i]);
		break;
	}
}

/* --- kernel memory --- */

static void op_objcg(struct world *w)
{
	if (w->nr_objcg < NR_SMALL && (!w->nr_objcg || byte(w) & 1)) {
		w->objcg[w->nr_objcg++] = memcg_objcg_get(any_cg(w));
	} else if (w->nr_objcg && byte(w) & 1) {
		int i = (int)pick(w, (unsigned)w->nr_objcg);

		memcg_objcg_put(w->objcg[i]);
		w->objcg[i] = w->objcg[--w->nr_objcg];
	}
}

/* An object keeps its objcg alive: the handle may go before it. */
static void op_obj(struct world *w)
{
	if (w->nr_objcg && w->nr_obj < NR_OBJS && byte(w) & 1) {
		struct obj *o = &w->obj[w->nr_obj];
		int ret;

		o->objcg = w->objcg[pick(w, (unsigned)w->nr_objcg)];
		o->size = pick_size(w, 3 * 4096);
		o->gfp = byte(w) & 0x1f;
		ret = memcg_obj_charge(o->objcg, o->size, o->gfp);
		if (o->size > SIZE_MAX - sizeof(void *))
			CHECK(ret == -EINVAL);	/* size + pointer wraps */
		if (o->size > SIZE_MAX >> 1)
			CHECK(ret);
		if (!ret)
			w->nr_obj++;
	} else if (w->nr_obj) {
		int i = (int)pick(w, (unsigned)w->nr_obj);

		memcg_obj_uncharge(w->obj[i].objcg, w->obj[i].size,
				   w->obj[i].gfp);
		w->obj[i] = w->obj[--w->nr_obj];
	}
}

static void op_kpage(struct world *w)
{
	struct folio *pieces[1u << HUGE_ORDER], *f;
	int i;

	if (w->nr_objcg && w->nr_kpage < NR_KPAGES - (1 << HUGE_ORDER) &&
	    byte(w) & 1) {
		unsigned order = byte(w) & 1 ? HUGE_ORDER : pick(w, 3);
		int ret = memcg_kmem_charge_page(w->a,
			w->objcg[pick(w, (unsigned)w->nr_objcg)],
			byte(w) & 0x1f, order, &f);

		if (order != 0 && order != HUGE_ORDER)
			CHECK(ret == -EINVAL);
		if (!ret)
			w->kpage[w->nr_kpage++] = f;
		return;
	}
	if (!w->nr_kpage)
		return;
	i = (int)pick(w, (unsigned)w->nr_kpage);
	f = w->kpage[i];
	if (folio_order(f) && byte(w) & 1) {
		CHECK(memcg_kmem_split_page(w->a, f, pieces) == 0);
		w->kpage[i] = pieces[0];
		for (unsigned k = 1; k < 1u << HUGE_ORDER; k++)
			w->kpage[w->nr_kpage++] = pieces[k];
		return;
	}
	CHECK(memcg_kmem_uncharge_page(w->a, f) == 0);
	w->kpage[i] = w->kpage[--w->nr_kpage];
}

static void sock_free(struct world *w, int i)
{
	struct sock *s = &w->sock[i];

	if (s->charged)
		memcg_sock_uncharge(s->sk, s->charged);
	memcg_sock_free(s->sk);
	w->sock[i] = w->sock[--w->nr_sock];
}

static void op_sock(struct world *w)
{
	struct sock *s;

	if (w->nr_sock < NR_SMALL && (!w->nr_sock || byte(w) & 1)) {
		s = &w->sock[w->nr_sock];
		if (memcg_sock_alloc(any_cg(w), &s->sk))
			return;
		s->memcg = memcg_sock_memcg(s->sk);
		s->charged = 0;
		w->nr_sock++;
		return;
	}
	if (!w->nr_sock)
		return;
	s = &w->sock[pick(w, (unsigned)w->nr_sock)];
	switch (pick(w, 3)) {
	case 0: {
		/* up to UINT_MAX pages: -ENOMEM unless forced */
		unsigned nr = byte(w) & 1 ? UINT32_MAX - pick(w, 4) :
					    pick(w, 64);
		unsigned gfp = byte(w) & 0x1f;

		if (UINT32_MAX - s->charged < nr)
			break;
		if (!memcg_sock_charge(s->sk, nr, gfp))
			s->charged += nr;
		break;
	}
	case 1:
		if (s->charged) {
			unsigned nr = pick(w, 64) % s->charged + 1;

			memcg_sock_uncharge(s->sk, nr);
			s->charged -= nr;
		}
		break;
	default:
		sock_free(w, (int)(s - w->sock));
		break;
	}
}

/* --- tasks --- */

static void op_task(struct world *w)
{
	static const char *const names[] = { "t0", "t1", "t2", "t3" };
	struct memcg_task *t;
	size_t bytes;

	if (w->nr_task < NR_TASKS && (!w->nr_task || !(byte(w) & 3))) {
		const char *name = PICK(w, names);

		if (!memcg_task_create(w->a, name, any_cg(w), &t)) {
			CHECK(memcg_task_find(w->a, name) == t);
			w->task[w->nr_task++] = t;
		}
		return;
	}
	if (!w->nr_task)
		return;
	t = w->task[pick(w, (unsigned)w->nr_task)];
	bytes = pick_size(w, 2 << 20);
	switch (pick(w, 9)) {
	case 0:
		memcg_task_anon(t, bytes);
		break;
	case 1:
		memcg_task_touch(t, bytes);
		break;
	case 2:
		memcg_task_unmap(t, bytes);
		break;
	case 3:
		memcg_task_read(t, byte(w) & 1 ? "f" : "g", bytes);
		break;
	case 4:
		memcg_task_write(t, byte(w) & 1 ? "f" : "g", bytes);
		break;
	case 5:
		memcg_task_mlock(t, bytes);
		break;
	case 6:
		memcg_task_move(t, any_cg(w));
		break;
	case 7:
		memcg_task_set_oom_score_adj(t, (int)pick(w, 2101) - 1050);
		break;
	default:
		memcg_task_exit(t);
		break;
	}
	if (bytes > SIZE_MAX - 4095)	/* pages would wrap */
		CHECK(!memcg_task_alive(t) || memcg_task_anon(t, bytes) ==
		      -EINVAL);
}

/* --- the run --- */

static int setup(struct world *w)
{
	struct memcg_config cfg;
	uint8_t b = byte(w);

	memcg_config_init(&cfg);
	cfg.mode = b & 1 ? MEMCG_MODE_V1 : MEMCG_MODE_V2;
	cfg.policy = b & 2 ? MEMCG_POLICY_KERNEL : MEMCG_POLICY_REPARENT;
	cfg.memory_bytes = 8u << 20;
	cfg.dataless = b & 4;
	cfg.nr_cpus = 1 + (b >> 3 & 3);
	cfg.huge_order = HUGE_ORDER;
	cfg.deterministic = true;
	if (b & 0x20 && !(b & 1)) {	/* MGLRU is 6.12's, which has no v1 */
		cfg.kernel = MEMCG_KERNEL_6_12;
		cfg.reclaim = MEMCG_RECLAIM_MGLRU;
	}
	cfg.memory_recursiveprot = b & 0x40;
	memcg_set_cpu(0);
	if (memcg_engine_create(&cfg, &w->a))
		return -1;
	if (b & 0x80 && memcg_swapon(w->a, NULL, 4u << 20))
		return -1;
	memcg_config_init(&cfg);
	cfg.memory_bytes = 4u << 20;
	cfg.dataless = true;
	cfg.huge_order = HUGE_ORDER;
	cfg.deterministic = true;
	if (memcg_engine_create(&cfg, &w->b) ||
	    memcg_mkdir(w->b, "b", &w->b_cg))
		return -1;
	w->b_folio = memcg_folio_alloc(w->b, MEMCG_FOLIO_ANON, 0);
	if (!w->b_folio || memcg_charge(w->b, w->b_folio, w->b_cg, 0))
		return -1;
	return 0;
}

static void teardown(struct world *w)
{
	while (w->nr_file) {
		w->nr_file--;
		memcg_file_close(w->file[w->nr_file]);
	}
	while (w->nr_sock)
		sock_free(w, 0);
	while (w->nr_obj) {
		struct obj *o = &w->obj[--w->nr_obj];

		memcg_obj_uncharge(o->objcg, o->size, o->gfp);
	}
	while (w->nr_kpage)
		CHECK(memcg_kmem_uncharge_page(w->a, w->kpage[--w->nr_kpage]) ==
		      0);
	while (w->nr_objcg)
		memcg_objcg_put(w->objcg[--w->nr_objcg]);
	while (w->nr_folio)
		drop_folio(w, 0);
	while (w->nr_entry)
		drop_entry(w, 0);
	while (w->nr_task)
		memcg_task_exit(w->task[--w->nr_task]);
	if (w->a && w->b_folio)
		audit(w);
	while (w->nr_cg)
		memcg_put(w->cg[--w->nr_cg]);
	if (w->b_folio)
		memcg_folio_put(w->b, w->b_folio);
	memcg_put(w->b_cg);
	memcg_engine_destroy(w->a);
	memcg_engine_destroy(w->b);
}

/*
 * Sizes near 2^64 make the simulator ask for tables it cannot have (a
 * file's page table grows with its declared size): malloc() fails and the
 * call is -ENOMEM, which is what is checked. ASan would abort on such a
 * request instead; it returns NULL here, as the C library does.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const ops[])(struct world *) = {
		op_mkdir, op_lookup, op_cg_ref, op_write, op_read, op_rmdir,
		op_file, op_alloc, op_alloc, op_charge, op_folio_ref,
		op_folio_ref, op_migrate, op_split, op_move_account,
		op_swap_out, op_swap_entry, op_swap_entry, op_objcg, op_obj,
		op_kpage, op_sock, op_task, op_task, op_foreign,
		op_huge_sizes, op_double_put,
	};
	struct world w = { .data = data, .size = size };
	int n;

	if (setup(&w) == 0) {
		for (n = 0; n < MAX_OPS && w.pos < w.size; n++) {
			ops[byte(&w) % (sizeof(ops) / sizeof(ops[0]))](&w);
			memcg_set_cpu(pick(&w, 4));
			audit(&w);
		}
	}
	teardown(&w);
	return 0;
}
