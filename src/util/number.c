/*
 * Numbers as histories spell them, parsed exactly and fast.
 *
 * Most cells of a history are plain decimals: "0.6931", "1e-05", or the
 * 17-digit repr of a float ("0.40837979316711426"). Those take one of two
 * exact fast paths; everything else goes to strtod, which stays the
 * reference: every path gives the double strtod gives, bit for bit
 * (tests/test_number.c compares millions of random and adversarial cases).
 *
 * 1. Clinger's fast path: a significand w <= 2^53 and a power 10^q with
 *    |q| <= 22 are both exact doubles, so w * 10^q (or w / 10^-q) is one
 *    correctly rounded IEEE operation.
 * 2. Eisel-Lemire (Lemire, "Number Parsing at a Gigabyte per Second", 2021;
 *    the formulation of Go's strconv/eisel_lemire.go): multiply the
 *    normalized significand by a 128-bit truncation of 10^q and round; give
 *    up (fall back to strtod) when the truncation could change the rounding.
 */
#include "number.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "number_pow10.h"

/* 10^0 .. 10^22: the powers of ten that are exact doubles. */
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The high 64 bits of a * b; the low ones in *lo. */
static uint64_t mul_64x64(uint64_t a, uint64_t b, uint64_t *lo)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef unsigned __int128 u128;
	u128 p = (u128)a * b;
	*lo = (uint64_t)p;
	return (uint64_t)(p >> 64);
#else
	uint64_t a0 = a & 0xffffffffU, a1 = a >> 32, b0 = b & 0xffffffffU, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffU) + (p10 & 0xffffffffU);
	*lo = (mid << 32) | (p00 & 0xffffffffU);
	return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

static int leading_zeros(uint64_t x)
{
#if defined(__GNUC__)
	return __builtin_clzll(x);
#else
	int n = 0;
	while (!(x & 0x8000000000000000U)) {
		x <<= 1;
		n++;
	}
	return n;
#endif
}

/*
 * w * 10^q for w != 0, correctly rounded, into *out; 0 when the 128-bit
 * product cannot decide (a near-halfway case, a subnormal or an overflow).
 */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int eisel_lemire(uint64_t w, int q, int neg, double *out)
{
	if (q < POW10_MIN || q > POW10_MAX)
		return 0;
	int clz = leading_zeros(w);
	w <<= clz;
	/* floor(217706 q / 2^16) = floor(q log2(10)) for the table's range: the
	 * binary exponent of 10^q's entry (no right shift of a negative int). */
	long e2 = q >= 0 ? (217706L * q) >> 16 : -((-217706L * q + 65535) >> 16);
	uint64_t exp2 = (uint64_t)(e2 + 64 + 1023) - (uint64_t)clz;
	const uint64_t *p = pow10_128[q - POW10_MIN];
	uint64_t lo, hi = mul_64x64(w, p[0], &lo);
	/* The table's second half can only matter when the low bits of the
	 * first product are all ones and adding w could carry into them. */
	if ((hi & 0x1ff) == 0x1ff && lo + w < w) {
		uint64_t lo2, hi2 = mul_64x64(w, p[1], &lo2);
		uint64_t mhi = hi, mlo = lo + hi2;
		if (mlo < lo)
			mhi++;
		if ((mhi & 0x1ff) == 0x1ff && mlo + 1 == 0 && lo2 + w < w)
			return 0;
		hi = mhi;
		lo = mlo;
	}
	uint64_t msb = hi >> 63;
	uint64_t mant = hi >> (msb + 9);
	exp2 -= 1 ^ msb;
	/* Exactly halfway between two doubles, as far as 128 bits can tell. */
	if (lo == 0 && (hi & 0x1ff) == 0 && (mant & 3) == 1)
		return 0;
	mant += mant & 1;
	mant >>= 1;
	if (mant >> 53) {
		mant >>= 1;
		exp2++;
	}
	/* exp2 of 0 or below (wrapped) is subnormal, 0x7ff or above infinite. */
	if (exp2 - 1 >= 0x7ff - 1)
		return 0;
	uint64_t bits = exp2 << 52 | (mant & 0x000fffffffffffffU);
	if (neg)
		bits |= 0x8000000000000000U;
	memcpy(out, &bits, sizeof(*out));
	return 1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_AT_ONCE 1
/* Are the 8 bytes of v (little-endian) all ASCII digits? */
static int eight_digits(uint64_t v)
{
	return ((v & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
		(((v + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ==
	       UINT64_C(0x3333333333333333);
}

/* Their value, first byte most significant (Lemire's SWAR reduction, as in
 * fast_float and simdjson). */
static uint64_t eight_value(uint64_t v)
{
	v -= UINT64_C(0x3030303030303030);
	v = v * 10 + (v >> 8);
	v = ((v & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064) +
	     ((v >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001)) >> 32;
	return v & 0xffffffffU;
}
#else
#define EIGHT_AT_ONCE 0
#endif

/*
 * Digits from p into *w (w * 10 + d each, wrapping past 20 digits: the
 * caller counts them and gives up before a wrapped w is used). With eight,
 * eight at a time while eight are there: the 16 fraction digits of a
 * float's repr are two steps, with one test of the bound each. Whole parts
 * are short ("0", an epoch): one at a time.
 */
static inline const char *take_digits(const char *p, const char *end, uint64_t *w_io,
				      int eight)
{
	uint64_t w = *w_io;
#if EIGHT_AT_ONCE
	/* A float's repr: sixteen fraction digits, tested as one. */
	if (eight && end - p >= 16) {
		uint64_t a, b;
		memcpy(&a, p, sizeof(a));
		memcpy(&b, p + 8, sizeof(b));
		if (eight_digits(a) & eight_digits(b)) {
			w = w * UINT64_C(10000000000000000) + eight_value(a) * 100000000U +
			    eight_value(b);
			p += 16;
		}
	}
	while (eight && end - p >= 8) {
		uint64_t v;
		memcpy(&v, p, sizeof(v));
		if (!eight_digits(v))
			break;
		w = w * 100000000U + eight_value(v);
		p += 8;
	}
#else
	(void)eight;
#endif
	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';
		if (d > 9)
			break;
		w = w * 10 + d;
	}
	*w_io = w;
	return p;
}

#if FLT_EVAL_METHOD == 0
/*
 * A plain decimal from s on ([+-]digits[.digits][e[+-]digits]): its digits
 * as one integer w (at most 19 significant ones), its power of ten q and its
 * sign; the first character after it. NULL when none starts at s or it has
 * more digits than w holds (strtod's case).
 */
static inline const char *decimal_scan(const char *s, const char *end, uint64_t *w_out,
				       long *q_out, int *neg_out)
{
	const char *p = s;
	int neg = 0;
	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	uint64_t w = 0;
	const char *int_start = p;
	p = take_digits(p, end, &w, 0);
	size_t nd = (size_t)(p - int_start);	/* digits, leading zeros included */
	long q = 0;
	if (p < end && *p == '.') {
		const char *frac = ++p;
		p = take_digits(p, end, &w, 1);
		nd += (size_t)(p - frac);
		/* Each fraction digit moves the point one place. */
		q = -(long)(p - frac);
	}
	if (nd == 0)
		return NULL;
	if (nd > 19) {
		/* Leading zeros count for nothing; past 19 significant digits w
		 * has wrapped (more than a uint64_t holds): strtod. */
		for (const char *z = int_start; z < p && (*z == '0' || *z == '.'); z++)
			nd -= *z == '0';
		if (nd > 19)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		int eneg = 0;
		if (p < end && (*p == '-' || *p == '+')) {
			eneg = *p == '-';
			p++;
		}
		if (p == end || *p < '0' || *p > '9')
			return NULL;
		long x = 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (x < 100000)
				x = x * 10 + (*p - '0');
		q += eneg ? -x : x;
	}
	*w_out = w;
	*q_out = q;
	*neg_out = neg;
	return p;
}

/* (-1)^neg * w * 10^q, rounded as strtod rounds: 1, or 0 when strtod must. */
static inline int decimal_value(uint64_t w, long q, int neg, double *out)
{
	if (w == 0) {
		*out = neg ? -0.0 : 0.0;
		return 1;
	}
	if (w <= (UINT64_C(1) << 53) && q >= -22 && q <= 22) {
		double d = (double)w;
		d = q < 0 ? d / exact_pow10[-q] : d * exact_pow10[q];
		*out = neg ? -d : d;
		return 1;
	}
	if (q < -400 || q > 400)
		return 0;
	return eisel_lemire(w, (int)q, neg, out);
}
#endif

int parse_decimal_fast(const char *s, size_t len, double *out)
{
#if FLT_EVAL_METHOD != 0
	/* x87 extended precision would round twice: Clinger needs IEEE double. */
	(void)s;
	(void)len;
	(void)out;
	return 0;
#else
	uint64_t w;
	long q;
	int neg;
	const char *p = decimal_scan(s, s + len, &w, &q, &neg);
	if (p != s + len)
		return 0;
	return decimal_value(w, q, neg, out);
#endif
}

const char *parse_decimal_prefix(const char *s, const char *end, double *out)
{
#if FLT_EVAL_METHOD != 0
	(void)s;
	(void)end;
	(void)out;
	return NULL;
#else
	uint64_t w;
	long q;
	int neg;
	const char *p = decimal_scan(s, end, &w, &q, &neg);
	if (!p || !decimal_value(w, q, neg, out))
		return NULL;
	return p;
#endif
}

int parse_number(const char *s, size_t len, double *out)
{
	char tmp[64];
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	if (parse_decimal_fast(s, len, out))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	const char *p = tmp;
	int neg = 0;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (*p == 'n' || *p == 'N' || *p == 'i' || *p == 'I') {
		if (strcasecmp(p, "nan") == 0) {
			*out = NAN;
			return 0;
		}
		if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		return -1;
	}
	/* strtod also takes hex floats and "nan(...)"; histories never write them. */
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
		      *q == '+' || *q == '-'))
			return -1;
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end == tmp || *end != '\0')
		return -1;
	*out = v;
	return 0;
}
