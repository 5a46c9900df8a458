// SPDX-License-Identifier: MIT
/*
 * basic: a cgroup with memory.max=1M, a child charged until it is full,
 * then everything freed and removed.
 *
 *   ./scripts/run-example.sh      (or build/example_basic)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memcg/memcg.h>

#define MAX_FOLIOS 4096		/* far more than 1M of 4K pages */

static void die(const char *what, int err)
{
	fprintf(stderr, "example_basic: %s: %s\n", what, strerror(-err));
	exit(1);
}

/* Print a control file as `cat` would, under a header. */
static void show(struct mem_cgroup *memcg, const char *path, const char *file)
{
	char buf[8192];
	int ret = memcg_read(memcg, file, buf, sizeof(buf));

	if (ret < 0)
		die(file, ret);
	printf("--- %s/%s\n%s", path, file, buf);
}

int main(void)
{
	static struct folio *folios[MAX_FOLIOS];
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a, *b;
	size_t nr = 0;
	int ret;

	memcg_config_init(&cfg);
	cfg.mode = MEMCG_MODE_V2;
	cfg.memory_bytes = 256ul << 20;
	cfg.dataless = false;
	ret = memcg_engine_create(&cfg, &e);
	if (ret)
		die("memcg_engine_create", ret);

	ret = memcg_mkdir(e, "A", &a);
	if (ret)
		die("mkdir A", ret);
	ret = memcg_mkdir(e, "A/B", &b);
	if (ret)
		die("mkdir A/B", ret);
	ret = memcg_write(a, "memory.max", "1M\n");
	if (ret)
		die("write A/memory.max", ret);

	/* Charge 4K folios to A/B until A's limit refuses one. */
	for (;;) {
		struct folio *f;

		if (nr == MAX_FOLIOS) {
			fprintf(stderr, "example_basic: memory.max never hit\n");
			return 1;
		}
		f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		if (!f)
			die("memcg_folio_alloc", -ENOMEM);
		ret = memcg_charge(e, f, b, MEMCG_GFP_KERNEL);
		if (ret == -ENOMEM) {
			memcg_folio_put(e, f);	/* never charged: just freed */
			break;
		}
		if (ret)
			die("memcg_charge", ret);
		folios[nr++] = f;
	}
	printf("charged %zu folios to A/B before -ENOMEM\n\n", nr);

	show(a, "A", "memory.current");
	show(a, "A", "memory.max");
	show(a, "A", "memory.events");
	show(b, "A/B", "memory.stat");

	/* The last reference of each folio goes: one uncharge per cgroup run. */
	memcg_folios_put(e, folios, nr);
	printf("\nafter memcg_folios_put of %zu folios:\n", nr);
	/* Stock pages pre-charged to A/B would count here; the -ENOMEM drained them. */
	show(a, "A", "memory.current");

	memcg_put(b);
	memcg_put(a);
	ret = memcg_rmdir(e, "A/B");
	if (ret)
		die("rmdir A/B", ret);
	ret = memcg_rmdir(e, "A");
	if (ret)
		die("rmdir A", ret);
	printf("\n");
	show(memcg_root(e), ".", "cgroup.stat");

	memcg_engine_destroy(e);
	return 0;
}
