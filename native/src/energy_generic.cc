// The energy kernels in portable C++ (any CPU; the compiler vectorises for the baseline ISA).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include "energy.h"
#define EBM_AVX2 0
#define EBM_NS generic
#include "energy.inc"
