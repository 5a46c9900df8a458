// SPDX-License-Identifier: MIT
/* A test fixture: see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"

struct fixture *fixture_new(const struct memcg_config *cfg, const char *a_path,
			    const char *b_path)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(memcg_engine_create(cfg, &f->e), 0);
	f->paths[0] = a_path;
	f->paths[1] = b_path;
	assert_int_equal(memcg_mkdir(f->e, a_path, &f->a), 0);
	f->holds[0] = (struct audit_hold){ f->a, 1 };
	if (b_path) {
		assert_int_equal(memcg_mkdir(f->e, b_path, &f->b), 0);
		f->holds[1] = (struct audit_hold){ f->b, 1 };
	}
	memcg_set_cpu(0);
	return f;
}

void test_config_init(struct memcg_config *cfg, size_t bytes)
{
	memcg_config_init(cfg);
	cfg->memory_bytes = bytes;
	cfg->nr_cpus = 1;
	cfg->deterministic = true;
	cfg->dataless = true;
}

struct memcg_engine *test_engine_mode(enum memcg_mode mode,
				      enum memcg_policy policy, size_t bytes)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, bytes);
	cfg.mode = mode;
	cfg.policy = policy;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

struct memcg_engine *test_engine_new(size_t bytes)
{
	return test_engine_mode(MEMCG_MODE_V2, MEMCG_POLICY_REPARENT, bytes);
}

long long test_file_key(struct mem_cgroup *m, const char *file,
			const char *key)
{
	static _Thread_local char buf[16384];
	size_t klen = strlen(key);
	const char *p;

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	for (p = buf; *p; p = strchr(p, '\n') + 1)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
	fail_msg("no %s in %s", key, file);
	return -1;
}

void fixture_audit(struct fixture *f)
{
	assert_int_equal(memcg_audit(f->e, f->holds, 2), 0);
}

void fixture_release(struct fixture *f)
{
	if (f->b)
		memcg_put(f->b);
	if (f->a)
		memcg_put(f->a);
	f->a = f->b = NULL;
	f->holds[0] = f->holds[1] = (struct audit_hold){ NULL, 0 };
	/* the second may be below the first: remove it first */
	if (f->paths[1])
		memcg_rmdir(f->e, f->paths[1]);
	memcg_rmdir(f->e, f->paths[0]);
	memcg_drain_all_stock(memcg_root(f->e));
	assert_int_equal(memcg_audit(f->e, NULL, 0), 0);
	assert_int_equal(atomic_load(&f->e->nr_memcgs), 1);
	f->paths[0] = f->paths[1] = NULL;
}

void fixture_free(struct fixture *f)
{
	if (f->paths[0])
		fixture_release(f);
	memcg_engine_destroy(f->e);
	memcg_set_cpu(-1);
	free(f);
}
