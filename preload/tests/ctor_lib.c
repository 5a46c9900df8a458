// SPDX-License-Identifier: MIT
/*
 * A library whose constructor allocates: linked by ctor_main, it is
 * initialised before libmemcg-preload.so (preloaded libraries come first
 * in the search list and are initialised last), so its malloc is the
 * first the shim sees and must start it.
 */
#include <stdlib.h>
#include <string.h>

__attribute__((visibility("default"))) void *preload_ctor_block;

__attribute__((constructor)) static void allocate(void)
{
	preload_ctor_block = malloc(8 << 20);
	if (preload_ctor_block)
		memset(preload_ctor_block, 1, 8 << 20);
}
