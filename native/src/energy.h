// Shared declarations of the native energy kernels: the network description decoded from the TypeScript
// layout, one batch-chunk job, and the two compiled variants (AVX2+FMA and portable) of the same kernels.
#pragma once
#include <cstdint>
#include <vector>

namespace ebm {

struct BlockOffsets {
  int ln1g, ln1b, wqkv, bqkv, ow, ob, ln2g, ln2b, f1w, f1b, f2w, f2b;
};

/** The energy network's shape and where each tensor sits in the flat parameter vector (spec.ts paramLayout). */
struct NetDesc {
  int arch = 0;  // 0 = transformer, 1 = deepsets
  int N = 0, F = 0, L = 0, d = 0, H = 0, FF = 0, outputs = 1;
  bool layerNorm = false;
  float dropout = 0.f;
  std::vector<int> phi, head;  // hidden widths
  int embW = -1, embB = -1;
  std::vector<BlockOffsets> blocks;
  std::vector<int> phiW, phiB, headW, headB;  // headW/headB have head.size() + 1 entries
  int paramCount = 0;
};

/** One contiguous range of jets [j0, j1) processed by one thread: forward, then (if dOut) backward. */
struct ChunkJob {
  const NetDesc* net;
  const float* params;
  const float* x;        // [B, N, F]
  const uint8_t* mask;   // [B, N]
  int j0, j1;
  const float* dOut;     // [B, outputs] or null (forward only)
  float* out;            // [B, outputs]
  float* gradX;          // [B, N, F] or null
  float* gradP;          // this thread's accumulator [paramCount] or null
  const float* drop;      // inverted-dropout multipliers [2·L][B, N, d] (tfjs.ts dropoutMasks order) or null
  int B;                  // batch size (stride of drop)
};

#define EBM_DECLARE_KERNELS(NS)                                                                           \
  namespace NS {                                                                                          \
  void runChunk(const ChunkJob& job);                                                                     \
  void gemm(int M, int N, int K, const float* A, long lda, bool tA, const float* B, long ldb, bool tB,    \
            float* C, long ldc, bool accumulate);                                                         \
  }

EBM_DECLARE_KERNELS(avx2)
EBM_DECLARE_KERNELS(generic)

}  // namespace ebm
