// SPDX-License-Identifier: MIT
/*
 * The kernel's number parsers for text written to control files (see
 * kstrtox.h). Written from their documented behaviour: the radix prefix,
 * wrapping simple_strto*(), overflow-checked kstrto*().
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "lib/kstrtox.h"

/* in the count parse_integer() returns: the value overflowed */
#define KSTRTOX_OVERFLOW (1U << 31)

static bool is_xdigit(char c)
{
	unsigned char lc = (unsigned char)c | 0x20;

	return (c >= '0' && c <= '9') || (lc >= 'a' && lc <= 'f');
}

/* Settle base 0 from the prefix, and step over "0x" in base 16. */
static const char *fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if ((s[1] | 0x20) == 'x' && is_xdigit(s[2]))
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	return s;
}

/* Digits of @base at @s: how many, ORed with KSTRTOX_OVERFLOW. */
static unsigned int parse_integer(const char *s, unsigned int base,
				  unsigned long long *p)
{
	unsigned long long res = 0;
	unsigned int rv = 0;

	for (;; s++) {
		unsigned int c = (unsigned char)*s, lc = c | 0x20, val;

		if (c >= '0' && c <= '9')
			val = c - '0';
		else if (lc >= 'a' && lc <= 'f')
			val = lc - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		if ((res & (~0ULL << 60)) && res > (ULLONG_MAX - val) / base)
			rv |= KSTRTOX_OVERFLOW;
		res = res * base + val;
		rv++;
	}
	*p = res;
	return rv;
}

unsigned long long simple_strtoull(const char *cp, char **endp,
				   unsigned int base)
{
	unsigned long long res;
	unsigned int rv;

	cp = fixup_radix(cp, &base);
	rv = parse_integer(cp, base, &res);
	if (endp)
		*endp = (char *)cp + (rv & ~KSTRTOX_OVERFLOW);
	return res;
}

long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return (long)-simple_strtoull(cp + 1, endp, base);
	return (long)simple_strtoull(cp, endp, base);
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	static const char suffixes[] = "kmgtpe";
	unsigned long long ret;
	unsigned int shift = 0;
	char *end;

	ret = simple_strtoull(ptr, &end, 0);
	for (unsigned int i = 0; i < sizeof(suffixes) - 1; i++) {
		if (*end && (*end | 0x20) == suffixes[i]) {
			shift = 10 * (i + 1);
			end++;
			break;
		}
	}
	if (retptr)
		*retptr = end;
	return shift < 64 ? ret << shift : 0;
}

/* kstrtoull() without the '+'. */
static int kstrtoull_nosign(const char *s, unsigned int base,
			    unsigned long long *res)
{
	unsigned long long v;
	unsigned int rv;

	s = fixup_radix(s, &base);
	rv = parse_integer(s, base, &v);
	if (rv & KSTRTOX_OVERFLOW)
		return -ERANGE;
	if (rv == 0)
		return -EINVAL;
	s += rv;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return kstrtoull_nosign(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long tmp;
	int rv;

	if (s[0] == '-') {
		rv = kstrtoull_nosign(s + 1, base, &tmp);
		if (rv < 0)
			return rv;
		if (tmp > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0 - tmp);
		return 0;
	}
	rv = kstrtoull(s, base, &tmp);
	if (rv < 0)
		return rv;
	if (tmp > LLONG_MAX)
		return -ERANGE;
	*res = (long long)tmp;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long tmp;
	int rv = kstrtoll(s, base, &tmp);

	if (rv < 0)
		return rv;
	if (tmp < INT_MIN || tmp > INT_MAX)
		return -ERANGE;
	*res = (int)tmp;
	return 0;
}
