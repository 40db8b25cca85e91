/*
 * parse_number: the exact fast paths (Clinger, Eisel-Lemire) give strtod's
 * double bit for bit, on a few million random and adversarial decimals.
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"

#include "util/number.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15U;

/* splitmix64: deterministic, so a failure can be reproduced. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15U);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9U;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebU;
	return z ^ (z >> 31);
}

static uint64_t bits_of(double d)
{
	uint64_t b;
	memcpy(&b, &d, sizeof(b));
	return b;
}

static double double_of(uint64_t b)
{
	double d;
	memcpy(&d, &b, sizeof(d));
	return d;
}

static size_t n_cases, n_fast;

/* parse_number and the fast path alone agree with strtod on s, bit for bit.
 * (Plain ifs: each ck_assert writes a checkpoint, too slow for millions.) */
static void agree(const char *s)
{
	char *end;
	double want = strtod(s, &end);
	if (*end != '\0')
		ck_abort_msg("strtod stopped early on '%s'", s);
	double got;
	if (parse_number(s, strlen(s), &got) != 0)
		ck_abort_msg("'%s' not parsed", s);
	if (bits_of(got) != bits_of(want))
		ck_abort_msg("'%s': %a, strtod %a", s, got, want);
	n_cases++;
	int fast = parse_decimal_fast(s, strlen(s), &got);
	if (fast) {
		n_fast++;
		if (bits_of(got) != bits_of(want))
			ck_abort_msg("fast '%s': %a, strtod %a", s, got, want);
	}
	/* The same decimal as a CSV cell, read where it lies: it ends at the
	 * separator exactly when the fast path decides it, with its double. */
	size_t n = strlen(s);
	if (n < 100) {
		char line[104];
		double at;
		memcpy(line, s, n);
		memcpy(line + n, ",7\n", 3);
		const char *stop = parse_decimal_prefix(line, line + n + 3, &at);
		if ((stop == line + n) != fast)
			ck_abort_msg("prefix '%s': stops at %td, fast path %d", s,
				     stop ? stop - line : -1, fast);
		if (fast && bits_of(at) != bits_of(want))
			ck_abort_msg("prefix '%s': %a, strtod %a", s, at, want);
	}
}

/* A random finite double, any exponent. */
static double random_double(void)
{
	for (;;) {
		double d = double_of(rnd());
		if (isfinite(d))
			return d;
	}
}

START_TEST(test_known)
{
	static const char *const cases[] = {
		"0", "-0", "+0", "0.0", "-0.0", "0e0", "0e-999999", "-0e+999999", "1", "-1",
		"1.", ".5", "-.5", "00012.500", "0.1", "0.2", "0.3", "1e-05", "1E5", "1e+05",
		"2.5e-3", "0.6931471805599453", "0.40837979316711426", "2.302585092994046",
		"9007199254740991", "9007199254740992", "9007199254740993",
		"9007199254740994", "9007199254740995", "18014398509481985",
		"9223372036854775807", "9223372036854775808", "9223372036854776832",
		"18446744073709551615", "18446744073709551616", "1234567890123456789",
		"12345678901234567890", "123456789012345678901234567890",
		"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
		"1e308", "1e309", "-1e400", "2.2250738585072014e-308",
		"2.2250738585072011e-308", "2.2250738585072009e-308", "4.9406564584124654e-324",
		"5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400",
		"1e-320", "3e-323", "0.000000000000000000000000000001", "1e22", "1e23",
		"8.98846567431158e307", "4503599627370496.5", "4503599627370497.5",
		"2.225073858507201136057409796709131975934819546351645e-308",
		"7.2057594037927933e16", "1.00000000000000011102230246251565404236316680908203126",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"0.1000000000000000055511151231257827021181583404541015625",
		"3.0517578125e-05", "1448997445238699", "1e-1", "1e-22", "1e-23", "4e-22",
		"123456e-30", "9999999999999999999", "99999999999999999999e-20",
		"1.2345678901234567e-300", "6.6e-313", "1e0000000000000000000001",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		agree(cases[i]);
}
END_TEST

/* What parse_number refuses, and what it takes beyond plain decimals. */
START_TEST(test_spellings)
{
	static const char *const bad[] = {
		"", " ", ".", "-", "+", "e5", "1e", "1e+", "1e-", "--1", "+-1", "1-2",
		"1.2.3", "0x10", "1,5", "abc", "nanx", "infinit", "1e5x", "1 2",
	};
	double v;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse_number(bad[i], strlen(bad[i]), &v) != 0, "'%s' taken", bad[i]);
		ck_assert_int_eq(parse_decimal_fast(bad[i], strlen(bad[i]), &v), 0);
	}
	ck_assert_int_eq(parse_number(" 0.5\r\n", 6, &v), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(parse_number("-Infinity", 9, &v), 0);
	ck_assert(isinf(v) && v < 0);
	ck_assert_int_eq(parse_number("NaN", 3, &v), 0);
	ck_assert_nan(v);
	/* The length given is the end: "0.25" of "0.251". */
	ck_assert_int_eq(parse_number("0.251", 4, &v), 0);
	ck_assert(v == 0.25);
	ck_assert_int_eq(parse_decimal_fast("-0", 2, &v), 1);
	ck_assert(v == 0 && signbit(v));
	/* Read where it lies: up to what cannot go on the number. */
	const char *row = "0.75,12abc;1e5\n";
	ck_assert_ptr_eq(parse_decimal_prefix(row, row + strlen(row), &v), row + 4);
	ck_assert(v == 0.75);
	ck_assert_ptr_eq(parse_decimal_prefix(row + 5, row + strlen(row), &v), row + 7);
	ck_assert(v == 12);
	ck_assert_ptr_eq(parse_decimal_prefix(row + 11, row + strlen(row), &v), row + 14);
	ck_assert(v == 1e5);
	/* The end bounds the look: "0.7" of "0.75". */
	ck_assert_ptr_eq(parse_decimal_prefix(row, row + 3, &v), row + 3);
	ck_assert(v == 0.7);
	static const char *const none[] = { ",1", "-,", ".,", "1e,", "1e+\n", "nan,", "",
					    "123456789012345678901," };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ck_assert_msg(parse_decimal_prefix(none[i], none[i] + strlen(none[i]), &v) == NULL,
			      "'%s' taken", none[i]);
}
END_TEST

/* Random doubles as Python's repr and as %g at every precision write them. */
START_TEST(test_random_repr)
{
	char buf[64];
	n_cases = n_fast = 0;
	for (int i = 0; i < 400000; i++) {
		double d = random_double();
		snprintf(buf, sizeof(buf), "%.17g", d);
		agree(buf);
		snprintf(buf, sizeof(buf), "%.*g", (int)(1 + rnd() % 17), d);
		agree(buf);
		/* Values of the size histories hold: losses, rates, accuracies. */
		double m = ldexp((double)(rnd() >> 11), -53) * pow(10, (int)(rnd() % 12) - 8);
		snprintf(buf, sizeof(buf), "%.17g", m);
		agree(buf);
		snprintf(buf, sizeof(buf), "%.*f", (int)(rnd() % 10), m);
		agree(buf);
	}
	/* The fast paths must carry the load, or this test proves nothing. */
	ck_assert_msg(n_fast * 100 >= n_cases * 99, "fast path took only %zu of %zu", n_fast,
		      n_cases);
}
END_TEST

/* Random digit strings: up to 19 digits, the point anywhere, any exponent. */
START_TEST(test_random_digits)
{
	char buf[64];
	for (int i = 0; i < 600000; i++) {
		int nd = 1 + (int)(rnd() % 19), dot = (int)(rnd() % (unsigned)(nd + 1));
		size_t n = 0;
		if (rnd() & 1)
			buf[n++] = '-';
		for (int k = 0; k < nd; k++) {
			if (k == dot)
				buf[n++] = '.';
			buf[n++] = (char)('0' + rnd() % 10);
		}
		if (rnd() % 4)
			snprintf(buf + n, sizeof(buf) - n, "e%d", (int)(rnd() % 700) - 350);
		else
			buf[n] = '\0';
		agree(buf);
	}
}
END_TEST

/* Near-halfway cases: the exact midpoint of two neighbouring doubles, cut to
 * 16..19 significant digits, and a hair to either side. The midpoint needs 54
 * bits, which x86's long double holds; elsewhere the cases are merely close. */
START_TEST(test_halfway)
{
	char buf[80];
	for (int i = 0; i < 300000; i++) {
		double d = random_double();
		if (d == 0)
			continue;
		double e = nextafter(d, d > 0 ? INFINITY : -INFINITY);
		if (!isfinite(e))
			continue;
		long double mid = ((long double)d + (long double)e) / 2;
		snprintf(buf, sizeof(buf), "%.*Le", 15 + (int)(rnd() % 4), mid);
		agree(buf);
		snprintf(buf, sizeof(buf), "%.18Le", mid);
		agree(buf);
		/* Integers just around 2^53 .. 2^64 and their halfway points. */
		uint64_t k = (rnd() >> (int)(rnd() % 11)) | (UINT64_C(1) << 53);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)k);
		agree(buf);
	}
	/* Subnormals and the edges of the range. */
	for (int i = 0; i < 100000; i++) {
		double d = double_of(rnd() % UINT64_C(0x0020000000000000));
		snprintf(buf, sizeof(buf), "%.17g", d);
		agree(buf);
		snprintf(buf, sizeof(buf), "%.*e", (int)(rnd() % 18), DBL_MAX * (1 - ldexp((double)(rnd() % 64), -53)));
		agree(buf);
	}
}
END_TEST

static Suite *number_suite(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_known);
	tcase_add_test(tc, test_spellings);
	tcase_add_test(tc, test_random_repr);
	tcase_add_test(tc, test_random_digits);
	tcase_add_test(tc, test_halfway);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(number_suite());
}
