/* SPDX-License-Identifier: MIT */
/*
 * Number parsing as the kernel's lib/kstrtox.c, lib/vsprintf.c
 * (simple_strto*) and lib/cmdline.c (memparse) do it, for the control
 * files: the same prefixes, the same wrapping and the same errors.
 *
 * Base 0 picks the base as the kernel does: "0x" and a hex digit is hex,
 * a leading 0 octal, anything else decimal.
 */
#ifndef MEMCG_LIB_KSTRTOX_H
#define MEMCG_LIB_KSTRTOX_H

/**
 * simple_strtoull - parse an unsigned number, as far as it goes
 * @cp: input
 * @endp: if not NULL, where parsing stopped (@cp when nothing was taken)
 * @base: 0, 8, 10 or 16
 *
 * No sign, no blanks. Digits past 64 bits wrap, silently.
 *
 * Return: the value.
 */
unsigned long long simple_strtoull(const char *cp, char **endp,
				   unsigned int base);

/**
 * simple_strtol - simple_strtoull() after an optional '-'
 * @cp: input
 * @endp: see simple_strtoull(); after the '-' even without digits
 * @base: 0, 8, 10 or 16
 *
 * Return: the value, cast to long.
 */
long simple_strtol(const char *cp, char **endp, unsigned int base);

/**
 * memparse - a size with an optional K, M, G, T, P or E suffix
 * @ptr: input
 * @retptr: if not NULL, the first byte not taken
 *
 * The number is simple_strtoull(@ptr, base 0); one suffix letter, either
 * case, shifts it by 10 per step, wrapping past 64 bits. A suffix alone
 * ("k") is taken: 0 shifted.
 *
 * Return: the size in bytes.
 */
unsigned long long memparse(const char *ptr, char **retptr);

/**
 * kstrtoull - parse a whole string as an unsigned number
 * @s: one optional '+', digits, one optional trailing '\n'
 * @base: 0, 8, 10 or 16
 * @res: the value
 *
 * Return: 0, -ERANGE on overflow (before any trailing garbage is seen),
 * -EINVAL for no digits or anything else after them.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

/**
 * kstrtoll - kstrtoull() for a signed number: '-' or '+' first
 * @s: input
 * @base: 0, 8, 10 or 16
 * @res: the value
 *
 * Return: 0, -ERANGE or -EINVAL.
 */
int kstrtoll(const char *s, unsigned int base, long long *res);

/**
 * kstrtoint - kstrtoll() into an int
 * @s: input
 * @base: 0, 8, 10 or 16
 * @res: the value
 *
 * Return: 0, -ERANGE (also outside int) or -EINVAL.
 */
int kstrtoint(const char *s, unsigned int base, int *res);

#endif /* MEMCG_LIB_KSTRTOX_H */
