// SPDX-License-Identifier: MIT
/* Zeroed arrays allocated on touch: see lazymap.h. */
#include <sys/mman.h>

#include "lib/lazymap.h"

void *lazymap_alloc(size_t bytes, bool huge)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (huge && bytes >= (2UL << 20))
		madvise(p, bytes, MADV_HUGEPAGE);	/* a hint: may fail */
	return p;
}

void lazymap_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes);
}
