// SPDX-License-Identifier: MIT
/*
 * A main() for the libFuzzer targets in builds without libFuzzer: runs
 * the target once on each file named, and on each file of each directory
 * named (in name order). ctest replays tests/fuzz/<target>/ with it, the
 * inputs of past crashes and a few that reach far, so that every build
 * runs them (tools/memcg/CMakeLists.txt).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *p = realloc(data, cap = cap ? 2 * cap : 4096);

			if (!p) {
				free(data);
				fclose(f);
				return -1;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Each regular file of @dir; returns how many, or -1. */
static int replay_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int n = scandir(dir, &names, NULL, by_name), done = 0;
	struct stat st;

	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (!stat(path, &st) && S_ISREG(st.st_mode) && done >= 0)
			done = replay_file(path) ? -1 : done + 1;
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	struct stat st;
	int total = 0, n;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) :
					  replay_file(argv[i]) ? -1 : 1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("%s: %d inputs replayed\n", argv[0], total);
	return 0;
}
