// SPDX-License-Identifier: MIT
/*
 * The scenario parser (scenario_parser.h): the machine line and the
 * spellings of its values.
 */
#include "scenario_parser.h"

/**
 * scn_kernel_str - the spelling of a kernel profile
 * @kernel: profile
 *
 * Return: "6.1" or "6.12".
 */
const char *scn_kernel_str(enum scn_kernel kernel)
{
	return kernel == SCN_KERNEL_6_12 ? "6.12" : "6.1";
}

/**
 * scn_reclaim_str - the spelling of a reclaim mode
 * @reclaim: mode
 *
 * Return: "default", "classic" or "mglru".
 */
const char *scn_reclaim_str(enum scn_reclaim reclaim)
{
	switch (reclaim) {
	case SCN_RECLAIM_CLASSIC:
		return "classic";
	case SCN_RECLAIM_MGLRU:
		return "mglru";
	default:
		return "default";
	}
}

/**
 * scn_thp_str - the spelling of a THP setting
 * @thp: setting
 *
 * Return: "never" or "always".
 */
const char *scn_thp_str(enum scn_thp thp)
{
	return thp == SCN_THP_ALWAYS ? "always" : "never";
}

static int machine_thp(struct parser *p, struct scn_machine *m, const char *v)
{
	if (!strcmp(v, "never"))
		m->thp = SCN_THP_NEVER;
	else if (!strcmp(v, "always"))
		m->thp = SCN_THP_ALWAYS;
	else
		return scn_perr(p, "bad thp '%.*s': expected thp=always or "
				"thp=never", TOK(v));
	m->given |= SCN_GIVEN_THP;
	return 0;
}

static int machine_retries(struct parser *p, struct scn_machine *m,
			   const char *v)
{
	if (!strcmp(v, "skip"))
		m->retries = SCN_RETRIES_SKIP;
	else if (!strcmp(v, "kernel"))
		m->retries = SCN_RETRIES_KERNEL;
	else
		return scn_perr(p, "bad retries '%.*s': expected retries=skip or "
				"retries=kernel", TOK(v));
	m->given |= SCN_GIVEN_RETRIES;
	return 0;
}

static int machine_kernel(struct parser *p, struct scn_machine *m,
			  const char *v)
{
	if (!strcmp(v, "6.1"))
		m->kernel = SCN_KERNEL_6_1;
	else if (!strcmp(v, "6.12"))
		m->kernel = SCN_KERNEL_6_12;
	else
		return scn_perr(p, "bad kernel '%.*s': expected kernel=6.1 or "
				"kernel=6.12", TOK(v));
	m->given |= SCN_GIVEN_KERNEL;
	return 0;
}

static int machine_reclaim(struct parser *p, struct scn_machine *m,
			   const char *v)
{
	if (!strcmp(v, "classic"))
		m->reclaim = SCN_RECLAIM_CLASSIC;
	else if (!strcmp(v, "mglru"))
		m->reclaim = SCN_RECLAIM_MGLRU;
	else
		return scn_perr(p, "bad reclaim '%.*s': expected reclaim=classic "
				"or reclaim=mglru", TOK(v));
	m->given |= SCN_GIVEN_RECLAIM;
	return 0;
}

/* Settings that are fine one by one but not together. */
static int machine_check(struct parser *p, const struct scn_machine *m)
{
	if (m->kernel == SCN_KERNEL_6_12 && m->mode == SCN_MODE_V1)
		return scn_perr(p, "mode=v1 with kernel=6.12: Debian's 6.12 is "
				"built without CONFIG_MEMCG_V1 (no cgroup v1); "
				"expected mode=v2 or kernel=6.1");
	return 0;
}

int scn_parse_machine(struct parser *p, const struct line *l)
{
	struct scn_machine *m = &p->s->machine;

	if (p->seen_cmd || m->line)
		return scn_perr(p, "'machine' only as the first command: expected "
				"it before every other line");
	m->line = p->line;
	for (size_t i = 1; i < l->nr; i++) {
		const char *t = l->tok[i];
		const char *v = strchr(t, '=');
		size_t klen = v ? (size_t)(v - t) : 0;
		long n;

		if (!v)
			return scn_perr(p, "bad machine setting '%.*s': expected "
					"KEY=VALUE", TOK(t));
		v++;
		if (klen == 6 && !strncmp(t, "memory", 6)) {
			if (scn_parse_size(v, &m->memory_bytes) ||
			    !m->memory_bytes)
				return scn_perr(p, "bad size '%.*s': expected memory="
						"a non-zero size (K, M, G, T)",
						TOK(v));
			m->given |= SCN_GIVEN_MEMORY;
		} else if (klen == 4 && !strncmp(t, "swap", 4)) {
			if (scn_parse_size(v, &m->swap_bytes))
				return scn_perr(p, "bad size '%.*s': expected swap="
						"a size (K, M, G, T)", TOK(v));
			m->given |= SCN_GIVEN_SWAP;
		} else if (klen == 4 && !strncmp(t, "cpus", 4)) {
			if (!scn_parse_int(v, 1, SCN_MAX_CPUS, &n))
				return scn_perr(p, "bad cpus '%.*s': expected a number "
						"from 1 to %u", TOK(v), SCN_MAX_CPUS);
			m->cpus = (unsigned)n;
			m->given |= SCN_GIVEN_CPUS;
		} else if (klen == 4 && !strncmp(t, "mode", 4)) {
			if (!strcmp(v, "v2"))
				m->mode = SCN_MODE_V2;
			else if (!strcmp(v, "v1"))
				m->mode = SCN_MODE_V1;
			else
				return scn_perr(p, "bad mode '%.*s': expected mode=v1 "
						"or mode=v2", TOK(v));
			m->given |= SCN_GIVEN_MODE;
		} else if (klen == 6 && !strncmp(t, "policy", 6)) {
			if (!strcmp(v, "reparent"))
				m->policy = SCN_POLICY_REPARENT;
			else if (!strcmp(v, "kernel"))
				m->policy = SCN_POLICY_KERNEL;
			else
				return scn_perr(p, "bad policy '%.*s': expected "
						"policy=reparent or policy=kernel",
						TOK(v));
			m->given |= SCN_GIVEN_POLICY;
		} else if (klen == 6 && !strncmp(t, "kernel", 6)) {
			if (machine_kernel(p, m, v))
				return -EINVAL;
		} else if (klen == 7 && !strncmp(t, "reclaim", 7)) {
			if (machine_reclaim(p, m, v))
				return -EINVAL;
		} else if (klen == 3 && !strncmp(t, "thp", 3)) {
			if (machine_thp(p, m, v))
				return -EINVAL;
		} else if (klen == 7 && !strncmp(t, "retries", 7)) {
			if (machine_retries(p, m, v))
				return -EINVAL;
		} else {
			return scn_perr(p, "unknown machine setting '%.*s': expected "
					"memory=, swap=, cpus=, mode=, policy=, "
					"kernel=, reclaim=, thp= or retries=",
					TOK(t));
		}
	}
	return machine_check(p, m);
}
