/* SPDX-License-Identifier: MIT */
/*
 * Zeroed arrays whose pages are allocated as they are touched (anonymous
 * mappings without swap reservation): an array sized by a declared size
 * (frames of the machine, slots of the swap device) costs resident memory
 * only where it is used. For tables indexed without a bound known ahead,
 * see radix.h.
 */
#ifndef MEMCG_LIB_LAZYMAP_H
#define MEMCG_LIB_LAZYMAP_H

#include <stdbool.h>
#include <stddef.h>

/**
 * lazymap_alloc - a zeroed array of @bytes, its pages allocated on touch
 * @bytes: size, > 0
 * @huge: ask for transparent huge pages (a hint; for arrays hit at random)
 *
 * Return: the array, page-aligned, or NULL.
 */
void *lazymap_alloc(size_t bytes, bool huge);

/** lazymap_free - release lazymap_alloc()'s @p of @bytes; NULL is a no-op */
void lazymap_free(void *p, size_t bytes);

#endif /* MEMCG_LIB_LAZYMAP_H */
