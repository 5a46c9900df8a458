// SPDX-License-Identifier: MIT
/* strstrip() with the kernel's Latin-1 isspace(): string_helpers.h. */
#include <string.h>

#include "lib/string_helpers.h"

char *strstrip(char *s)
{
	size_t len = strlen(s);

	while (len && kernel_isspace(s[len - 1]))
		s[--len] = '\0';
	while (kernel_isspace(*s))
		s++;
	return s;
}
