// SPDX-License-Identifier: MIT
/*
 * The "# vm:" line. See vm.h.
 */
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/**
 * vm_get - the value of @key in a "@@ORACLE-VM" line's pairs
 * @kv: the pairs
 * @key: the key
 * @buf: receives the value ("?" when missing)
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *vm_get(const char *kv, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	snprintf(buf, len, "?");
	for (const char *p = kv; p && *p; p += strcspn(p, " ")) {
		p += strspn(p, " ");
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			snprintf(buf, len, "%.*s", (int)strcspn(p, " "), p);
			break;
		}
	}
	return buf;
}

static unsigned long long num(const char *kv, const char *key)
{
	char v[64];

	return strtoull(vm_get(kv, key, v, sizeof(v)), NULL, 10);
}

/**
 * vm_format - the text of a "# vm:" line, without "# vm: "
 * @kv: the pairs
 * @buf: receives it
 * @len: size of @buf
 */
void vm_format(const char *kv, char *buf, size_t len)
{
	char kernel[128], swap[32], comp[32], hz[16], lru[32], thp[32];
	unsigned long long cpus = num(kv, "cpus");
	char swapdesc[128];

	vm_get(kv, "swap", swap, sizeof(swap));
	if (!strcmp(swap, "none"))
		snprintf(swapdesc, sizeof(swapdesc), "no swap");
	else
		snprintf(swapdesc, sizeof(swapdesc), "swap %s %lluM (%s)",
			 swap, num(kv, "swap_bytes") >> 20,
			 vm_get(kv, "comp", comp, sizeof(comp)));
	snprintf(buf, len, "kernel %s, %lluM RAM (MemTotal %lluM), %s, "
		 "%llu CPU%s, HZ %s, lru_gen %s, thp %s",
		 vm_get(kv, "kernel", kernel, sizeof(kernel)),
		 num(kv, "ram_mb"), num(kv, "memtotal_kb") >> 10, swapdesc,
		 cpus, cpus == 1 ? "" : "s", vm_get(kv, "hz", hz, sizeof(hz)),
		 vm_get(kv, "lru_gen", lru, sizeof(lru)),
		 vm_get(kv, "thp", thp, sizeof(thp)));
}

/* One "key":value member: a number when all digits, else a string. */
static void json_member(FILE *out, const char *pair, size_t n)
{
	const char *eq = memchr(pair, '=', n);
	size_t klen = eq ? (size_t)(eq - pair) : n;
	const char *v = eq ? eq + 1 : "";
	size_t vlen = eq ? n - klen - 1 : 0;
	bool digits = vlen > 0 && strspn(v, "0123456789") >= vlen;

	fprintf(out, ",\"%.*s\":%s%.*s%s", (int)klen, pair, digits ? "" : "\"",
		(int)vlen, v, digits ? "" : "\"");
}

/**
 * vm_print - print the "# vm:" line (text) or the "vm" object (JSON)
 * @kv: the pairs
 * @boot: 1-based boot number
 * @json: JSON Lines
 * @out: where
 */
void vm_print(const char *kv, unsigned boot, bool json, FILE *out)
{
	char text[1024];

	if (!kv || !*kv)
		return;
	if (json) {
		fprintf(out, "{\"kind\":\"vm\",\"boot\":%u", boot);
		for (const char *p = kv + strspn(kv, " "); *p;
		     p += strspn(p, " ")) {
			size_t n = strcspn(p, " ");

			json_member(out, p, n);	/* init.sh's values: no quotes */
			p += n;
		}
		fputs("}\n", out);
		return;
	}
	vm_format(kv, text, sizeof(text));
	if (boot > 1)
		fprintf(out, "# vm (boot %u): %s\n", boot, text);
	else
		fprintf(out, "# vm: %s\n", text);
}
