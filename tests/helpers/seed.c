// SPDX-License-Identifier: MIT
/* Seeds of the randomized tests: see seed.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "seed.h"

uint64_t test_seed(const char *test, uint64_t fallback)
{
	const char *env = getenv("MEMCG_SEED");
	uint64_t seed = fallback;
	char *end;

	if (env && *env) {
		unsigned long long v;

		errno = 0;
		v = strtoull(env, &end, 0);
		if (!errno && !*end)
			seed = v;
		else
			fprintf(stderr, "%s: MEMCG_SEED=\"%s\" is not a number: "
				"using %#llx\n", test, env,
				(unsigned long long)fallback);
	}
	if (!seed)
		seed = 1;
	fprintf(stderr, "%s: seed %#llx (replay: MEMCG_SEED=%#llx)\n", test,
		(unsigned long long)seed, (unsigned long long)seed);
	return seed;
}
