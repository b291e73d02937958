// The energy kernels compiled for x86-64 AVX2+FMA (selected at run time only when the CPU has both).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include "energy.h"
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EBM_AVX2 1
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#else
#define EBM_AVX2 0
#endif
#define EBM_NS avx2
#include "energy.inc"
#if EBM_AVX2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
