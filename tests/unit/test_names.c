// SPDX-License-Identifier: MIT
/*
 * Children by name (memcg_names.c): many siblings made and removed in a
 * random order, present, absent and removed names, duplicates, names whose
 * hashes collide, long names, and the errnos of mkdir, rmdir and lookup.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"

#define NR_SIBLINGS 3000
#define NAME_MAX_LEN 255	/* the VFS's NAME_MAX, which kernfs ignores */
#define PATH_MAX_LEN 4096

static struct memcg_engine *engine(void)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 16UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.dataless = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	return e;
}

static uint64_t rnd_state = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state % n);
}

static void shuffle(int *v, int n)
{
	int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (int)rnd((uint32_t)i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* The cgroup at @path, or NULL; no reference kept. */
static struct mem_cgroup *lookup(struct memcg_engine *e, const char *path)
{
	struct mem_cgroup *m;
	int err = memcg_lookup(e, path, &m);

	if (err) {
		assert_int_equal(err, -ENOENT);
		assert_null(m);
		return NULL;
	}
	memcg_put(m);
	return m;
}

/* The table's shape: exactly the online children, at most one per bucket
 * on average, and every child in the bucket of its hash. */
static void check_names(struct mem_cgroup *parent, long nr_online)
{
	struct memcg_names *t = &parent->child_names;
	struct mem_cgroup *c;
	long found = 0;
	uint32_t i;

	assert_int_equal(t->nr, nr_online);
	if (!t->buckets)
		return;
	assert_true(t->nr <= (1u << t->bits));
	for (i = 0; i < (1u << t->bits); i++)
		for (c = t->buckets[i]; c; c = c->name_node.next) {
			assert_true(memcg_is_online(c));
			assert_ptr_equal(c->parent, parent);
			assert_int_equal(c->name_hash,
					 memcg_name_hash(c->name, strlen(c->name)));
			found++;
		}
	assert_int_equal(found, nr_online);
}

static void test_many_siblings_random(void **state)
{
	struct memcg_engine *e = engine();
	static struct mem_cgroup *cg[NR_SIBLINGS];
	static int order[NR_SIBLINGS];
	static bool present[NR_SIBLINGS];
	struct mem_cgroup *p;
	char path[64];
	int i, k, round, nr = 0;

	assert_int_equal(memcg_mkdir(e, "p", &p), 0);
	for (i = 0; i < NR_SIBLINGS; i++)
		order[i] = i;
	for (round = 0; round < 3; round++) {
		/* make the absent ones, in a random order */
		shuffle(order, NR_SIBLINGS);
		for (k = 0; k < NR_SIBLINGS; k++) {
			i = order[k];
			snprintf(path, sizeof(path), "p/c%d", i);
			if (present[i]) {
				assert_int_equal(memcg_mkdir(e, path, NULL), -EEXIST);
				continue;
			}
			assert_int_equal(memcg_mkdir(e, path, &cg[i]), 0);
			memcg_put(cg[i]);
			present[i] = true;
			nr++;
		}
		check_names(p, nr);
		/* remove a random two thirds, in a random order */
		shuffle(order, NR_SIBLINGS);
		for (k = 0; k < NR_SIBLINGS * 2 / 3; k++) {
			i = order[k];
			snprintf(path, sizeof(path), "p/c%d", i);
			assert_int_equal(memcg_rmdir(e, path), 0);
			assert_int_equal(memcg_rmdir(e, path), -ENOENT);
			present[i] = false;
			nr--;
		}
		check_names(p, nr);
		/* every name: present ones found, removed ones not */
		for (i = 0; i < NR_SIBLINGS; i++) {
			snprintf(path, sizeof(path), "p/c%d", i);
			if (present[i])
				assert_ptr_equal(lookup(e, path), cg[i]);
			else
				assert_null(lookup(e, path));
		}
		assert_int_equal(memcg_rmdir(e, "p"), -EBUSY);
	}
	/* the rest, each removal leaving the others found */
	for (i = 0; i < NR_SIBLINGS; i++) {
		if (!present[i])
			continue;
		snprintf(path, sizeof(path), "p/c%d", i);
		assert_int_equal(memcg_rmdir(e, path), 0);
		present[i] = false;
		nr--;
		if (i % 97 == 0)
			for (k = 0; k < NR_SIBLINGS; k++) {
				snprintf(path, sizeof(path), "p/c%d", k);
				assert_true(!lookup(e, path) == !present[k]);
			}
	}
	check_names(p, 0);
	assert_int_equal(p->child_names.bits, 3);	/* shrunk back */
	assert_int_equal(memcg_audit(e, &(struct audit_hold){ p, 1 }, 1), 0);
	memcg_put(p);
	assert_int_equal(memcg_rmdir(e, "p"), 0);
	memcg_engine_destroy(e);
}

static void test_absent_names(void **state)
{
	struct memcg_engine *e = engine();
	static const char *const absent[] = {
		"c", "c1x", "c10x", "C1", "c01", "c1 ", "x/c1", "c1/c1",
		"c1/c10/c1", "c1/x", "c10/c100",
	};
	struct mem_cgroup *c1, *c10;
	unsigned i;

	assert_int_equal(memcg_mkdir(e, "c1", &c1), 0);
	assert_int_equal(memcg_mkdir(e, "c10", &c10), 0);
	assert_int_equal(memcg_mkdir(e, "c1/c10", NULL), 0);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_null(lookup(e, absent[i]));
		assert_int_equal(memcg_rmdir(e, absent[i]), -ENOENT);
	}
	assert_ptr_equal(lookup(e, "c1"), c1);
	assert_ptr_equal(lookup(e, "/c1//"), c1);
	assert_ptr_equal(lookup(e, "c10"), c10);
	assert_ptr_equal(lookup(e, "c1//c10")->parent, c1);
	assert_ptr_equal(lookup(e, "."), memcg_root(e));
	assert_ptr_equal(lookup(e, ""), memcg_root(e));
	assert_int_equal(memcg_mkdir(e, "x/y", NULL), -ENOENT);
	assert_int_equal(memcg_mkdir(e, "c1/c10/c1/y", NULL), -ENOENT);
	assert_int_equal(memcg_rmdir(e, "."), -EINVAL);	/* rmdir("X/.") */
	assert_int_equal(memcg_rmdir(e, "/"), -EBUSY);	/* the mount point */
	assert_int_equal(memcg_rmdir(e, "c1"), -EBUSY);
	assert_int_equal(memcg_rmdir(e, "c1/c10"), 0);
	assert_int_equal(memcg_rmdir(e, "c1"), 0);
	assert_null(lookup(e, "c1"));
	assert_null(lookup(e, "c1/c10"));
	assert_ptr_equal(lookup(e, "c10"), c10);
	memcg_put(c1);
	memcg_put(c10);
	memcg_engine_destroy(e);
}

/* mkdir of a present name fails; of a removed one, even while the old
 * cgroup is dying (held here), makes a new cgroup that lookups find. */
static void test_duplicate_and_dying(void **state)
{
	struct memcg_engine *e = engine();
	struct mem_cgroup *old, *new, *p;

	assert_int_equal(memcg_mkdir(e, "p", &p), 0);
	assert_int_equal(memcg_mkdir(e, "p/a", &old), 0);
	assert_int_equal(memcg_mkdir(e, "p/a", NULL), -EEXIST);
	assert_int_equal(memcg_mkdir(e, "/p//a", NULL), -EEXIST);
	assert_int_equal(memcg_mkdir(e, "p", NULL), -EEXIST);
	assert_int_equal(memcg_rmdir(e, "p/a"), 0);
	assert_false(memcg_is_online(old));
	assert_null(lookup(e, "p/a"));
	assert_int_equal(memcg_mkdir(e, "p/a", &new), 0);
	assert_ptr_not_equal(new, old);
	assert_ptr_equal(lookup(e, "p/a"), new);
	assert_int_equal(memcg_mkdir(e, "p/a", NULL), -EEXIST);
	check_names(p, 1);

	/* no internal process (v2): the child keeps tasks out of p */
	assert_int_equal(memcg_attach_task(p), -EBUSY);
	assert_int_equal(memcg_rmdir(e, "p/a"), 0);
	/* only a dying child left: p may take tasks, and be removed */
	assert_int_equal(memcg_attach_task(p), 0);
	assert_int_equal(memcg_mkdir(e, "p/b", NULL), -EBUSY);
	assert_int_equal(memcg_rmdir(e, "p"), -EBUSY);
	memcg_detach_task(p);
	check_names(p, 0);
	assert_int_equal(memcg_rmdir(e, "p"), 0);
	assert_null(lookup(e, "p"));
	memcg_put(old);
	memcg_put(new);
	memcg_put(p);
	memcg_engine_destroy(e);
}

struct hashed {
	uint32_t hash;
	uint32_t i;
};

static int hashed_cmp(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Name @i of the collision search: eight letters from splitmix64(@i). */
static void random_name(uint32_t i, char name[9])
{
	uint64_t z = (i + 1) * 0x9e3779b97f4a7c15ull;
	int k;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	for (k = 0; k < 8; k++, z /= 26)
		name[k] = (char)('a' + z % 26);
	name[8] = '\0';
}

/*
 * Pairs of names with the same 32-bit hash, so in the same bucket at every
 * table size: a birthday search, about ten among 300,000 random names
 * (FNV-1a gives none among "h0".."h299999").
 */
static int colliding_pairs(uint32_t (*pairs)[2], int max)
{
	enum { N = 300000 };
	struct hashed *h = malloc(N * sizeof(*h));
	char name[9];
	int n = 0;
	uint32_t i;

	assert_non_null(h);
	for (i = 0; i < N; i++) {
		random_name(i, name);
		h[i] = (struct hashed){ memcg_name_hash(name, 8), i };
	}
	qsort(h, N, sizeof(*h), hashed_cmp);
	for (i = 1; i < N && n < max; i++)
		if (h[i].hash == h[i - 1].hash) {
			pairs[n][0] = h[i - 1].i;
			pairs[n][1] = h[i].i;
			n++;
		}
	free(h);
	return n;
}

static void test_hash_collisions(void **state)
{
	struct memcg_engine *e = engine();
	uint32_t pairs[8][2];
	struct mem_cgroup *cg[8][2];
	char a[9], b[9];
	int n = colliding_pairs(pairs, 8), i, j;

	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		random_name(pairs[i][0], a);
		random_name(pairs[i][1], b);
		assert_string_not_equal(a, b);
		assert_int_equal(memcg_name_hash(a, strlen(a)),
				 memcg_name_hash(b, strlen(b)));
		assert_int_equal(memcg_mkdir(e, a, &cg[i][0]), 0);
		assert_null(lookup(e, b));
		assert_int_equal(memcg_mkdir(e, b, &cg[i][1]), 0);
		assert_int_equal(memcg_mkdir(e, a, NULL), -EEXIST);
		assert_int_equal(memcg_mkdir(e, b, NULL), -EEXIST);
	}
	check_names(memcg_root(e), 2 * n);
	for (i = 0; i < n; i++) {
		random_name(pairs[i][0], a);
		random_name(pairs[i][1], b);
		assert_ptr_equal(lookup(e, a), cg[i][0]);
		assert_ptr_equal(lookup(e, b), cg[i][1]);
		/* either of the pair removed first; the other stays */
		j = i & 1;
		assert_int_equal(memcg_rmdir(e, j ? b : a), 0);
		assert_null(lookup(e, j ? b : a));
		assert_ptr_equal(lookup(e, j ? a : b), cg[i][!j]);
		assert_int_equal(memcg_mkdir(e, j ? b : a, NULL), 0);
		assert_ptr_equal(lookup(e, j ? a : b), cg[i][!j]);
		assert_int_equal(memcg_rmdir(e, a), 0);
		assert_int_equal(memcg_rmdir(e, b), 0);
		assert_null(lookup(e, a));
		assert_null(lookup(e, b));
		memcg_put(cg[i][0]);
		memcg_put(cg[i][1]);
	}
	check_names(memcg_root(e), 0);
	memcg_engine_destroy(e);
}

static void test_long_names(void **state)
{
	struct memcg_engine *e = engine();
	char a[NAME_MAX_LEN + 2], b[NAME_MAX_LEN + 2], path[600];
	char long_path[PATH_MAX_LEN + 1];
	struct mem_cgroup *ma, *mb, *mc;

	memset(a, 'n', NAME_MAX_LEN);
	a[NAME_MAX_LEN] = '\0';
	memcpy(b, a, sizeof(a));
	b[NAME_MAX_LEN - 1] = 'm';		/* differ in the last byte */
	assert_int_equal(memcg_mkdir(e, a, &ma), 0);
	assert_int_equal(memcg_mkdir(e, b, &mb), 0);
	assert_int_equal(memcg_mkdir(e, a, NULL), -EEXIST);
	assert_ptr_equal(lookup(e, a), ma);
	assert_ptr_equal(lookup(e, b), mb);
	a[NAME_MAX_LEN - 1] = '\0';		/* a prefix of both */
	assert_null(lookup(e, a));
	a[NAME_MAX_LEN - 1] = 'n';
	snprintf(path, sizeof(path), "%s/%s", a, b);
	assert_int_equal(memcg_mkdir(e, path, NULL), 0);
	assert_ptr_equal(lookup(e, path)->parent, ma);
	b[NAME_MAX_LEN] = 'x';		/* past NAME_MAX: kernfs takes it */
	b[NAME_MAX_LEN + 1] = '\0';
	assert_int_equal(memcg_mkdir(e, b, NULL), 0);
	assert_non_null(lookup(e, b));
	assert_int_equal(memcg_rmdir(e, b), 0);
	assert_null(lookup(e, b));
	b[NAME_MAX_LEN] = '\0';
	/* PATH_MAX is the limit, for the whole path */
	memset(long_path, 'n', PATH_MAX_LEN - 1);
	long_path[PATH_MAX_LEN - 1] = '\0';
	assert_int_equal(memcg_mkdir(e, long_path, NULL), 0);
	assert_int_equal(memcg_rmdir(e, long_path), 0);
	long_path[PATH_MAX_LEN - 1] = 'n';
	long_path[PATH_MAX_LEN] = '\0';
	assert_int_equal(memcg_mkdir(e, long_path, NULL), -ENAMETOOLONG);
	assert_int_equal(memcg_rmdir(e, long_path), -ENAMETOOLONG);
	assert_int_equal(memcg_lookup(e, long_path, &mc), -ENAMETOOLONG);
	assert_null(mc);
	assert_int_equal(memcg_rmdir(e, a), -EBUSY);
	assert_int_equal(memcg_rmdir(e, path), 0);
	assert_int_equal(memcg_rmdir(e, a), 0);
	assert_null(lookup(e, a));
	assert_ptr_equal(lookup(e, b), mb);
	memcg_put(ma);
	memcg_put(mb);
	memcg_engine_destroy(e);
}

/* Children of one parent removed one by one: the others stay found. */
static void test_remove_while_others_remain(void **state)
{
	enum { N = 200 };
	struct memcg_engine *e = engine();
	static struct mem_cgroup *cg[N];
	static int order[N];
	static bool gone[N];
	char path[64];
	int i, k;

	assert_int_equal(memcg_mkdir(e, "q", NULL), 0);
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "q/%d", i);
		assert_int_equal(memcg_mkdir(e, path, &cg[i]), 0);
		order[i] = i;
	}
	shuffle(order, N);
	for (k = 0; k < N; k++) {
		snprintf(path, sizeof(path), "q/%d", order[k]);
		assert_int_equal(memcg_rmdir(e, path), 0);
		gone[order[k]] = true;
		for (i = 0; i < N; i++) {
			snprintf(path, sizeof(path), "q/%d", i);
			assert_ptr_equal(lookup(e, path), gone[i] ? NULL : cg[i]);
		}
		check_names(lookup(e, "q"), N - k - 1);
	}
	for (i = 0; i < N; i++)
		memcg_put(cg[i]);
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_siblings_random),
		cmocka_unit_test(test_absent_names),
		cmocka_unit_test(test_duplicate_and_dying),
		cmocka_unit_test(test_hash_collisions),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_remove_while_others_remain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
