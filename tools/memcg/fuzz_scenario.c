// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the scenario parser and the control-file parsers.
 *
 * Each input is
 * 1. parsed as a scenario (scenario_parse(), then every expect evaluated
 *    against a fixed flat-keyed file and the output formatted), and
 * 2. written, as a string, to one writable control file of a cgroup on a
 *    small v2 or v1 engine (the first byte picks the file, the rest is the
 *    value), then every file of the cgroup is read back.
 *
 * Built by tools/memcg/CMakeLists.txt with Clang only; scripts/fuzz.sh
 * configures build-fuzz/ and runs it for a bounded time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcg/memcg.h"
#include "report.h"
#include "scenario.h"

static const char *const v2_files[] = {
	"memory.min", "memory.low", "memory.high", "memory.max",
	"memory.peak", "memory.reclaim", "memory.oom.group",
	"memory.swap.high", "memory.swap.max", "memory.swap.peak",
	"memory.events", "memory.current", "cgroup.stat",
};

static const char *const v1_files[] = {
	"memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
	"memory.max_usage_in_bytes", "memory.memsw.max_usage_in_bytes",
	"memory.failcnt", "memory.memsw.failcnt", "memory.use_hierarchy",
	"memory.swappiness", "memory.kmem.limit_in_bytes",
	"memory.kmem.tcp.limit_in_bytes", "memory.kmem.failcnt",
	"memory.move_charge_at_immigrate", "memory.usage_in_bytes",
	"memory.stat",
};

#define NR(a) (sizeof(a) / sizeof((a)[0]))

struct target {
	struct memcg_engine *e;
	struct mem_cgroup *cg;
	const char *const *files;
	size_t nr_files;
};

static struct target targets[2];

static void setup(struct target *t, enum memcg_mode mode)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 16u << 20;
	cfg.dataless = true;
	cfg.nr_cpus = 1;
	cfg.deterministic = true;
	if (memcg_engine_create(&cfg, &t->e) ||
	    memcg_mkdir(t->e, "A", &t->cg))
		abort();
	t->files = mode == MEMCG_MODE_V2 ? v2_files : v1_files;
	t->nr_files = mode == MEMCG_MODE_V2 ? NR(v2_files) : NR(v1_files);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memcg_set_cpu(0);
	setup(&targets[0], MEMCG_MODE_V2);
	setup(&targets[1], MEMCG_MODE_V1);
	return 0;
}

static void fuzz_scenario(const uint8_t *data, size_t size)
{
	static const char events[] = "low 0\nhigh 1\nmax 2\noom 3\n";
	struct scenario *s;
	struct report r;
	char err[256], actual[128];
	FILE *null;

	if (scenario_parse((const char *)data, size, "fuzz", &s, err,
			   sizeof(err)))
		return;
	null = fopen("/dev/null", "w");
	if (!null)
		abort();
	report_init(&r, null, size & 1);
	for (size_t i = 0; i < s->nr_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];

		if (c->type == SCN_EXPECT) {
			report_eval(c, events, 0, actual, sizeof(actual));
			report_expect(&r, c, "12345\n", 0);
			report_expect(&r, c, NULL, -2);
		} else if (c->type == SCN_EXPECT_TASK) {
			report_expect_task(&r, c, SCN_TASK_KILLED);
		} else if (c->type == SCN_EXPECT_WRITE) {
			report_expect_write(&r, c, -22);
			report_expect_write(&r, c, 0);
			report_write_diag(null, "fuzz", s->filename, c, -2);
		} else if (c->type == SCN_SHOW) {
			report_show(&r, c, events);
		} else {
			report_error(&r, c, -22);
		}
	}
	fclose(null);
	scenario_free(s);
}

static void fuzz_control_file(const uint8_t *data, size_t size)
{
	struct target *t;
	const char *file;
	char *value, buf[8192];

	if (size < 1)
		return;
	t = &targets[data[0] & 1];
	file = t->files[(data[0] >> 1) % t->nr_files];
	value = malloc(size);
	if (!value)
		abort();
	memcpy(value, data + 1, size - 1);
	value[size - 1] = '\0';
	memcg_write(t->cg, file, value);
	for (size_t i = 0; i < t->nr_files; i++)
		memcg_read(t->cg, t->files[i], buf, sizeof(buf));
	free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scenario(data, size);
	fuzz_control_file(data, size);
	return 0;
}
