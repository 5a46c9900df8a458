// SPDX-License-Identifier: MIT
/*
 * A folio's reference count (the low bits of refflags, folio.h): taking
 * and dropping references, and folio_bug(), the abort on a misused folio.
 */
#include "mm/folio.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__SANITIZE_THREAD__)
#define FOLIO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FOLIO_TSAN 1
#endif
#endif

__attribute__((noreturn, cold, format(printf, 2, 3)))
void folio_bug(const struct folio *folio, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libmemcg: folio bug: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (folio %p refflags %#x info %#x)\n", (void *)folio,
		(unsigned)atomic_load_explicit(&folio->refflags,
					       memory_order_relaxed),
		(unsigned)folio->info);
	abort();
}

void folio_get(struct folio *folio)
{
	folio_ref_add(folio, 1);
}

void folio_ref_add(struct folio *folio, unsigned nr)
{
	uint32_t old;

	if (nr > FOLIO_REF_MAX)
		folio_bug(folio, "adding %u references", nr);
	old = atomic_fetch_add_explicit(&folio->refflags, nr,
					memory_order_relaxed) & FOLIO_REF_MASK;
	if (old == 0)
		folio_bug(folio, "reference taken on a free folio");
	if (old + nr > FOLIO_REF_MAX)
		folio_bug(folio, "refcount overflow");
}

void folio_ref_sub(struct folio *folio, unsigned nr)
{
	uint32_t old;

	if (!nr)
		return;
	if (nr > FOLIO_REF_MAX)
		folio_bug(folio, "dropping %u references", nr);
	old = atomic_fetch_sub_explicit(&folio->refflags, nr,
					memory_order_release) & FOLIO_REF_MASK;
	if (old <= nr)
		folio_bug(folio, "dropping %u of %u references", nr, old);
}

bool folio_put_testzero(struct folio *folio)
{
	uint32_t old;

	old = atomic_fetch_sub_explicit(&folio->refflags, 1,
					memory_order_release) & FOLIO_REF_MASK;
	if (old == 0)
		folio_bug(folio, "put of a zero refcount");
	if (old != 1)
		return false;
#ifdef FOLIO_TSAN
	/* TSan does not model fences; an acquire load orders the same. */
	(void)atomic_load_explicit(&folio->refflags, memory_order_acquire);
#else
	atomic_thread_fence(memory_order_acquire);
#endif
	return true;
}
