/* SPDX-License-Identifier: MIT */
/* Engine teardown with what it reports (leaks, left-overs) captured. */
#ifndef MEMCG_TEST_DESTROY_CAPTURE_H
#define MEMCG_TEST_DESTROY_CAPTURE_H

#include <stddef.h>

struct memcg_engine;

/**
 * destroy_capture - memcg_engine_destroy(@e), with what it wrote on stderr
 * @e: engine
 * @buf: the text, NUL-terminated
 * @size: size of @buf
 *
 * Return: the length of the text (0: teardown found nothing left).
 */
size_t destroy_capture(struct memcg_engine *e, char *buf, size_t size);

#endif
