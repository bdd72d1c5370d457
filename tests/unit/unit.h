/*
 * unit.h - a tiny unit-test framework for the C tests in tests/unit/.
 *
 *   TEST(name) { CHECK(1 + 1 == 2); CHECK_STR(a, "b"); }
 *   int main(void) { RUN(name); return unit_done(); }
 *
 * Prints TAP lines and "# passed N failed N skipped 0" like the shell tests.
 * A failed CHECK reports file, line and expression, and ends that test.
 */
#ifndef IRK_UNIT_H
#define IRK_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_passed, unit_failed, unit_cur_failed;

#define TEST(name) static void test_##name(void)

#define CHECK(expr)                                                                        \
	do {                                                                               \
		if (!(expr)) {                                                             \
			printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);   \
			unit_cur_failed = 1;                                               \
			return;                                                            \
		}                                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		const char *a_ = (a), *b_ = (b);                                           \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                        \
			printf("#   %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,           \
			       a_ ? a_ : "(null)", b_ ? b_ : "(null)");                    \
			unit_cur_failed = 1;                                               \
			return;                                                            \
		}                                                                          \
	} while (0)

#define RUN(name)                                                                          \
	do {                                                                               \
		unit_cur_failed = 0;                                                       \
		unit_count++;                                                              \
		test_##name();                                                             \
		if (unit_cur_failed) {                                                     \
			unit_failed++;                                                     \
			printf("not ok %d - %s\n", unit_count, #name);                     \
		} else {                                                                   \
			unit_passed++;                                                     \
			printf("ok %d - %s\n", unit_count, #name);                         \
		}                                                                          \
	} while (0)

static inline int unit_done(void)
{
	printf("# passed %d failed %d skipped 0\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
