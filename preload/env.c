// SPDX-License-Identifier: MIT
/*
 * The environment: MEMCG_CGROUP, MEMCG_MAX, MEMCG_HIGH, MEMCG_OOM,
 * MEMCG_REPORT and MEMCG_STRICT (README.md). An empty variable is unset.
 * What is checked here is the form; the sizes are checked by the engine
 * when written (init.c), as memory.max and memory.high parse them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define CGROUP_PATH_MAX 4096
#define NAME_MAX_LEN 255

/* The value, shown safely in a one-line message. */
static void printable(const char *val, char *out, size_t len)
{
	size_t i;

	for (i = 0; val[i] && i + 1 < len; i++)
		out[i] = val[i] >= 0x20 && val[i] < 0x7f ? val[i] : '?';
	out[i] = '\0';
}

static void bad(char *msg, size_t len, const char *var, const char *val,
		const char *why)
{
	char shown[128];

	printable(val, shown, sizeof(shown));
	snprintf(msg, len, "memcg-preload: %s=\"%s\": %s", var, shown, why);
}

static const char *var(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* "0" or "1"; unset: @def. */
static int parse_bool(const char *name, bool def, bool *out, char *msg,
		      size_t len)
{
	const char *v = var(name);

	*out = def;
	if (!v)
		return 0;
	if (strcmp(v, "0") && strcmp(v, "1")) {
		bad(msg, len, name, v, "not 0 or 1");
		return -EINVAL;
	}
	*out = v[0] == '1';
	return 0;
}

/* Why @path is no cgroup path below the root, or NULL. */
static const char *check_path(const char *path)
{
	const char *p = path;

	if (strlen(path) >= CGROUP_PATH_MAX)
		return "path too long";
	if (*p == '/')
		return "a path relative to the shim's root (no leading /)";
	for (;;) {
		size_t n = strcspn(p, "/");

		if (!n)
			return "empty name in the path";
		if (n > NAME_MAX_LEN)
			return "name longer than 255 bytes";
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return "\".\" or \"..\" in the path";
		if (memchr(p, '\n', n))
			return "newline in the path";
		if (!p[n])
			return NULL;
		p += n + 1;
	}
}

static int parse_oom(struct preload_env *env, char *msg, size_t len)
{
	const char *v = var("MEMCG_OOM");

	env->oom_abort = false;
	if (!v || !strcmp(v, "enomem"))
		return 0;
	if (!strcmp(v, "abort")) {
		env->oom_abort = true;
		return 0;
	}
	bad(msg, len, "MEMCG_OOM", v, "not \"enomem\" or \"abort\"");
	return -EINVAL;
}

static int parse_cgroup(struct preload_env *env, char *msg, size_t len)
{
	const char *why;

	env->cgroup = var("MEMCG_CGROUP");
	env->max = var("MEMCG_MAX");
	env->high = var("MEMCG_HIGH");
	if (env->cgroup && (why = check_path(env->cgroup))) {
		bad(msg, len, "MEMCG_CGROUP", env->cgroup, why);
		return -EINVAL;
	}
	if (!env->cgroup && (env->max || env->high)) {
		bad(msg, len, env->max ? "MEMCG_MAX" : "MEMCG_HIGH",
		    env->max ? env->max : env->high, "set without MEMCG_CGROUP");
		return -EINVAL;
	}
	return 0;
}

/**
 * preload_env_parse - read the environment
 * @env: the result; strict is set (default 1) even on error
 * @msg: a one-line message naming the variable and its value, on error
 * @len: size of @msg
 *
 * Return: 0 or -EINVAL.
 */
int preload_env_parse(struct preload_env *env, char *msg, size_t len)
{
	int err;

	err = parse_bool("MEMCG_STRICT", true, &env->strict, msg, len);
	if (!err)
		err = parse_bool("MEMCG_REPORT", false, &env->report, msg, len);
	if (!err)
		err = parse_oom(env, msg, len);
	if (!err)
		err = parse_cgroup(env, msg, len);
	return err;
}
