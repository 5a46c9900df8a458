/* SPDX-License-Identifier: MIT */
/*
 * Blank stripping as the kernel does it for control-file writes. The
 * kernel's isspace() (lib/ctype.c) is Latin-1: besides '\t' '\n' '\v'
 * '\f' '\r' and ' ', byte 0xa0 (no-break space) is a space; the C
 * library's isspace() in the C locale says it is not.
 */
#ifndef MEMCG_LIB_STRING_HELPERS_H
#define MEMCG_LIB_STRING_HELPERS_H

#include <stdbool.h>

/**
 * kernel_isspace - the kernel's isspace()
 * @c: a byte
 *
 * Return: true for 0x09-0x0d, 0x20 and 0xa0.
 */
static inline bool kernel_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

/**
 * strstrip - strip leading and trailing kernel_isspace() bytes
 * @s: a writable string; trailing blanks are cut with a NUL
 *
 * Return: the first byte that is not a blank, within @s.
 */
char *strstrip(char *s);

#endif /* MEMCG_LIB_STRING_HELPERS_H */
