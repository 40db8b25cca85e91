#include "sortd.h"

#include <stdint.h>
#include <string.h>

/*
 * Doubles as unsigned keys that sort the same way: flip every bit of a
 * negative number, only the sign bit of a positive one. The map is a
 * bijection, so the values come back bit for bit.
 */
static uint64_t key_of(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof(u));
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double double_of(uint64_t k)
{
	uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
	double x;
	memcpy(&x, &u, sizeof(x));
	return x;
}

static void insertion_sort(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

#define SMALL 48

/*
 * American flag sort (McIlroy, Bostic and McIlroy 1993): an in-place
 * most-significant-byte-first radix sort. Each level counts the bytes at
 * shift, permutes the keys into their buckets by cycles, and sorts each
 * bucket by the next byte down; small buckets go to insertion sort.
 */
static void flag_sort(uint64_t *a, size_t n, int shift)
{
	while (n > SMALL) {
		size_t count[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(a[i] >> shift) & 255]++;
		/* One bucket holds them all: nothing to move at this byte. */
		size_t top = (a[0] >> shift) & 255;
		if (count[top] == n) {
			if (shift == 0)
				return;
			shift -= 8;
			continue;
		}
		size_t next[256], end[256], pos = 0;
		for (int b = 0; b < 256; b++) {
			next[b] = pos;
			pos += count[b];
			end[b] = pos;
		}
		for (int b = 0; b < 256; b++) {
			while (next[b] < end[b]) {
				uint64_t x = a[next[b]];
				size_t d = (x >> shift) & 255;
				while (d != (size_t)b) {
					uint64_t t = a[next[d]];
					a[next[d]++] = x;
					x = t;
					d = (x >> shift) & 255;
				}
				a[next[b]++] = x;
			}
		}
		if (shift == 0)
			return;
		size_t start = 0;
		for (int b = 0; b < 256; b++) {
			if (count[b] > 1)
				flag_sort(a + start, count[b], shift - 8);
			start += count[b];
		}
		return;
	}
	insertion_sort(a, n);
}

static void sort_keys(uint64_t *a, size_t n)
{
	if (n > SMALL)
		flag_sort(a, n, 56);
	else
		insertion_sort(a, n);
}

static void swap(double *v, size_t i, size_t j)
{
	double t = v[i];
	v[i] = v[j];
	v[j] = t;
}

static void sort_keyed(double *v, size_t n);

/*
 * A few hundred values (an epoch history): quicksort on the doubles
 * themselves, median-of-three pivots, insertion sort below 24; a range
 * that splits badly too often goes to the radix sort.
 */
static void quick_sort(double *v, size_t n, int depth)
{
	while (n > 24) {
		if (depth-- == 0) {
			sort_keyed(v, n);
			return;
		}
		size_t mid = n / 2, last = n - 1;
		if (v[mid] < v[0])
			swap(v, mid, 0);
		if (v[last] < v[0])
			swap(v, last, 0);
		if (v[last] < v[mid])
			swap(v, last, mid);
		double pivot = v[mid];
		size_t i = 0, j = last;
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i >= j)
				break;
			swap(v, i++, j--);
		}
		/* v[0..j] <= pivot <= v[j+1..n-1]; the smaller side recurses. */
		size_t left = j + 1;
		if (left < n - left) {
			quick_sort(v, left, depth);
			v += left;
			n -= left;
		} else {
			quick_sort(v + left, n - left, depth);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		for (; j > 0 && x < v[j - 1]; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void sortd(double *v, size_t n)
{
	if (n <= 512)
		quick_sort(v, n, 24);
	else
		sort_keyed(v, n);
}

static void sort_keyed(double *v, size_t n)
{
	/* The keys live in the values' own memory, one 8-byte word each. */
	uint64_t *a = (uint64_t *)(void *)v;
	for (size_t i = 0; i < n; i++)
		a[i] = key_of(v[i]);
	sort_keys(a, n);
	for (size_t i = 0; i < n; i++)
		v[i] = double_of(a[i]);
}

double sortd_select(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;	/* v[k] lies in [lo, hi) */
	/* Quickselect with a median-of-three pivot; a range that shrinks too
	 * slowly (an adversarial order) is sorted instead, which bounds the
	 * work at O(n) passes. */
	int budget = 64;
	while (hi - lo > SMALL) {
		if (budget-- == 0) {
			sortd(v + lo, hi - lo);
			return v[k];
		}
		size_t mid = lo + (hi - lo) / 2, last = hi - 1;
		if (v[mid] < v[lo])
			swap(v, mid, lo);
		if (v[last] < v[lo])
			swap(v, last, lo);
		if (v[last] < v[mid])
			swap(v, last, mid);
		double pivot = v[mid];
		/* Three-way partition (Dijkstra): < pivot, == pivot, > pivot, so
		 * runs of equal values cost one pass. */
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			if (v[i] < pivot)
				swap(v, lt++, i++);
			else if (v[i] > pivot)
				swap(v, i, --gt);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	sortd(v + lo, hi - lo);
	return v[k];
}

double sortd_median(double *v, size_t n)
{
	double hi = sortd_select(v, n, n / 2);
	if (n % 2)
		return hi;
	/* The lower middle is the largest of the half below. */
	double lo = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return (lo + hi) / 2;
}
