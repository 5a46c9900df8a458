// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: whole scenarios through the engine, the invariant
 * auditor (tests/helpers/audit.h) after every command.
 *
 * Each input is parsed as a scenario; one that parses is made small
 * enough to run in milliseconds, then run with run_step() (the path of
 * `memcg run`, keep-going) on a fresh engine:
 * - the machine: memory and swap at most 32M, at most 4 CPUs;
 * - at most FUZZ_MAX_CMDS commands;
 * - task sizes (anon, read, write, mlock, touch, unmap) above 64M are
 *   folded below it, except those within 1M of 2^64, which stay: they
 *   must be refused (-EINVAL), never wrap.
 * Any auditor violation aborts, with the violations on stderr.
 *
 * Built by tools/memcg/CMakeLists.txt with Clang only; scripts/fuzz.sh
 * runs it for a bounded time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "audit.h"
#include "memcg/memcg.h"
#include "run.h"
#include "scenario.h"

#define FUZZ_MAX_MEMORY		(32ULL << 20)
#define FUZZ_MAX_CPUS		4u
#define FUZZ_MAX_CMDS		200
#define FUZZ_MAX_BYTES		(64ULL << 20)
#define FUZZ_NEAR_WRAP		(UINT64_MAX - (1ULL << 20))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fold the scenario's declared sizes into what runs in milliseconds. */
static void bound(struct scenario *s)
{
	struct scn_machine *m = &s->machine;

	if (m->memory_bytes > FUZZ_MAX_MEMORY)
		m->memory_bytes = FUZZ_MAX_MEMORY;
	if (m->swap_bytes > FUZZ_MAX_MEMORY)
		m->swap_bytes = FUZZ_MAX_MEMORY;
	if (m->cpus > FUZZ_MAX_CPUS)
		m->cpus = FUZZ_MAX_CPUS;
	for (size_t i = 0; i < s->nr_cmds; i++) {
		struct scn_cmd *c = &s->cmds[i];

		if (c->bytes > FUZZ_MAX_BYTES && c->bytes < FUZZ_NEAR_WRAP)
			c->bytes %= FUZZ_MAX_BYTES;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_opts o = { .keep_going = true };
	struct scenario *s;
	struct run *r;

	if (scenario_parse((const char *)data, size, "fuzz", &s, NULL, 0))
		return 0;
	if (s->nr_cmds > FUZZ_MAX_CMDS) {
		scenario_free(s);
		return 0;
	}
	bound(s);
	o.seed = size;	/* tasks' CPUs: vary them with the input */
	if (run_create(s, &o, NULL, &r)) {
		scenario_free(s);
		return 0;
	}
	if (memcg_audit(run_engine(r), NULL, 0))
		abort();
	while (run_step(r)) {
		if (memcg_audit(run_engine(r), NULL, 0)) {
			fprintf(stderr, "fuzz_run: auditor failed after command "
				"%zu\n", run_next_index(r));
			abort();
		}
	}
	run_destroy(r);
	scenario_free(s);
	return 0;
}
