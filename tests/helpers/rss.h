/* SPDX-License-Identifier: MIT */
/*
 * The process's peak resident set, for tests that bound the engine's
 * memory. Sanitizers map shadow memory for what they watch, so their
 * builds run the same tests without the bound (RSS_MEASURED 0).
 */
#ifndef MEMCG_TEST_RSS_H
#define MEMCG_TEST_RSS_H

#include <stdio.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RSS_MEASURED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RSS_MEASURED 0
#endif
#endif
#ifndef RSS_MEASURED
#define RSS_MEASURED 1
#endif

/* The peak resident set of this process (VmHWM), in KiB, or -1. */
static inline long vm_hwm_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

#endif
