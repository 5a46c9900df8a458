/* SPDX-License-Identifier: MIT */
/*
 * A test fixture: an engine with handles on one or two cgroups, torn down
 * with the auditor and a check that every cgroup but the root went.
 */
#ifndef MEMCG_TEST_FIXTURE_H
#define MEMCG_TEST_FIXTURE_H

#include "audit.h"

struct fixture {
	struct memcg_engine *e;
	struct mem_cgroup *a, *b;	/* handles, or NULL once dropped */
	struct audit_hold holds[2];	/* the test's references, for the audit */
	const char *paths[2];
};

/**
 * fixture_new - create @cfg's engine, then @a_path and @b_path (may be NULL)
 * @cfg: engine configuration
 * @a_path: first cgroup
 * @b_path: second cgroup, or NULL
 *
 * The calling thread runs on CPU 0.
 */
struct fixture *fixture_new(const struct memcg_config *cfg, const char *a_path,
			    const char *b_path);

/**
 * test_config_init - the unit tests' usual engine: data-less,
 * deterministic, one CPU, an arena of @bytes (v2, reparent policy)
 * @cfg: configuration to fill
 * @bytes: arena size
 */
void test_config_init(struct memcg_config *cfg, size_t bytes);

/**
 * test_engine_new - test_config_init()'s engine, the calling thread on
 * its CPU 0
 * @bytes: arena size
 */
struct memcg_engine *test_engine_new(size_t bytes);

/**
 * test_engine_mode - test_engine_new() in @mode under @policy
 * @mode: v1 or v2
 * @policy: what rmdir does
 * @bytes: arena size
 */
struct memcg_engine *test_engine_mode(enum memcg_mode mode,
				      enum memcg_policy policy, size_t bytes);

/**
 * test_file_key - the value of @key in a flat-keyed control file
 * ("memory.stat", "memory.events", ...); the test fails if it is missing
 * @m: cgroup
 * @file: file name
 * @key: key, matched as a whole word at the start of a line
 */
long long test_file_key(struct mem_cgroup *m, const char *file,
			const char *key);

/** fixture_audit - the auditor, with the fixture's handles as holds */
void fixture_audit(struct fixture *f);

/**
 * fixture_release - drop the handles, remove both cgroups, drain, audit,
 * and check that only the root is left; the engine stays for more checks
 */
void fixture_release(struct fixture *f);

/** fixture_free - fixture_release() if not done, then destroy the engine */
void fixture_free(struct fixture *f);

#endif /* MEMCG_TEST_FIXTURE_H */
