/* check.h — the tiny test harness every unit test uses.
 *
 * A failed check prints file:line and both values and marks the test failed;
 * main() returns non-zero if any check failed, so CTest fails the build. */
#ifndef CS_TESTS_CHECK_H
#define CS_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                              \
  do {                                                                           \
    check_count++;                                                               \
    if (!(cond)) {                                                               \
      check_failures++;                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

#define CHECK_INT(a, b)                                                          \
  do {                                                                           \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);              \
    check_count++;                                                               \
    if (check_a_ != check_b_) {                                                  \
      check_failures++;                                                          \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,        \
              __LINE__, #a, #b, check_a_, check_b_);                             \
    }                                                                            \
  } while (0)

#define CHECK_STR(a, b)                                                          \
  do {                                                                           \
    const char *check_a_ = (a), *check_b_ = (b);                                 \
    check_count++;                                                               \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {             \
      check_failures++;                                                          \
      fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__,    \
              __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",                  \
              check_b_ ? check_b_ : "(null)");                                   \
    }                                                                            \
  } while (0)

/* Runs each test function and reports; use as the whole of main(). */
#define RUN_TESTS(...)                                                           \
  int main(void) {                                                               \
    void (*tests_[])(void) = {__VA_ARGS__};                                      \
    for (size_t i_ = 0; i_ < sizeof tests_ / sizeof tests_[0]; i_++) tests_[i_](); \
    printf("%d checks, %d failed\n", check_count, check_failures);               \
    return check_failures ? 1 : 0;                                               \
  }

#endif
