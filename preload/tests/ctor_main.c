// SPDX-License-Identifier: MIT
/* ctor_lib's block is still there when main runs (programs.sh ctor). */
#include <stdio.h>

extern void *preload_ctor_block;

int main(void)
{
	puts(preload_ctor_block ? "ok" : "no block");
	return 0;
}
