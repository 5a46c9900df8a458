// SPDX-License-Identifier: MIT
/*
 * Every public header compiles as C++17 with -Wall -Wextra -Werror, and a
 * C++ program links against the library and runs a charge through it.
 */
#include <memcg/memcg.h>
#include <memcg/hooks.h>
#include <memcg/sim.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main()
{
	memcg_engine *e = nullptr;
	mem_cgroup *cg = nullptr;
	memcg_config cfg;
	char buf[64];

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64u << 20;
	cfg.dataless = true;
	if (memcg_engine_create(&cfg, &e) || memcg_mkdir(e, "tenant", &cg))
		return 1;
	if (memcg_write(cg, "memory.max", "1M"))
		return 1;
	folio *f = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	if (!f || memcg_charge(e, f, cg, MEMCG_GFP_KERNEL))
		return 1;
	/* one page charged, a batch of 64 taken: the rest waits in the stock */
	if (memcg_read(cg, "memory.current", buf, sizeof(buf)) < 0 ||
	    std::strcmp(buf, "262144\n")) {
		std::fprintf(stderr, "memory.current: %s", buf);
		return 1;
	}
	memcg_folio_put(e, f);
	memcg_put(cg);
	memcg_engine_destroy(e);
	return 0;
}
