// N-API entry points of the native CPU energy: net objects (parameters + persistent thread pool), the batched
// forward/backward call, CPU-feature dispatch between the AVX2+FMA and portable kernels, and an SGEMM probe.
// Plain node_api.h (ABI-stable, context-aware): loads in worker_threads and Electron without rebuilding.
#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "energy.h"

namespace ebm {
namespace {

bool cpuHasAvx2Fma() {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

/** Persistent workers; run(f) calls f(t) for t = 0..size-1 with t = 0 on the calling thread. */
class Pool {
 public:
  explicit Pool(int n) : size_(std::max(1, n)) {
    for (int t = 1; t < size_; ++t) threads_.emplace_back([this, t] { loop(t); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& th : threads_) th.join();
  }
  int size() const { return size_; }
  void run(const std::function<void(int)>& f) {
    error_.clear();
    if (size_ == 1) {
      guarded(f, 0);
    } else {
      {
        std::lock_guard<std::mutex> lk(mu_);
        job_ = &f;
        pending_ = size_ - 1;
        ++gen_;
      }
      cv_.notify_all();
      guarded(f, 0);
      std::unique_lock<std::mutex> lk(mu_);
      done_.wait(lk, [this] { return pending_ == 0; });
      job_ = nullptr;
    }
    if (!error_.empty()) throw std::runtime_error(error_);
  }

 private:
  void guarded(const std::function<void(int)>& f, int t) {
    try {
      f(t);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lk(errMu_);
      error_ = e.what();
    } catch (...) {
      std::lock_guard<std::mutex> lk(errMu_);
      error_ = "unknown native error";
    }
  }
  void loop(int t) {
    long seen = 0;
    for (;;) {
      const std::function<void(int)>* f;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return stop_ || gen_ != seen; });
        if (stop_) return;
        seen = gen_;
        f = job_;
      }
      guarded(*f, t);
      {
        std::lock_guard<std::mutex> lk(mu_);
        if (--pending_ == 0) done_.notify_one();
      }
    }
  }
  int size_;
  std::vector<std::thread> threads_;
  std::mutex mu_, errMu_;
  std::condition_variable cv_, done_;
  const std::function<void(int)>* job_ = nullptr;
  long gen_ = 0;
  int pending_ = 0;
  bool stop_ = false;
  std::string error_;
};

struct Net {
  NetDesc desc;
  std::vector<float> params;
  Pool pool;
  bool avx2;
  int chunkRows;
  std::vector<std::vector<float>> acc;  // per-thread parameter-gradient accumulators (threads 1..T-1)
  Net(NetDesc d, int threads, bool useAvx2, int rows)
      : desc(std::move(d)), params(desc.paramCount, 0.f), pool(threads), avx2(useAvx2), chunkRows(rows) {}
};

// ------------------------------------------------------------------------------------------------------ N-API utils
#define NAPI_OK(call)                                     \
  do {                                                    \
    if ((call) != napi_ok) throw std::runtime_error(#call); \
  } while (0)

napi_value throwJs(napi_env env, const std::string& msg) {
  napi_throw_error(env, "EBM_NATIVE", msg.c_str());
  return nullptr;
}

/** Unpacks N arguments, runs body(argv) and turns any C++ exception into a JS Error (code EBM_NATIVE). */
template <size_t N, typename Body>
napi_value entryPoint(napi_env env, napi_callback_info info, const char* name, Body body) {
  try {
    size_t argc = N;
    napi_value argv[N];
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
    if (argc < N) throw std::runtime_error(std::string(name) + " needs " + std::to_string(N) + " arguments");
    return body(argv);
  } catch (const std::exception& e) {
    return throwJs(env, e.what());
  }
}

std::string getString(napi_env env, napi_value v) {
  size_t len;
  NAPI_OK(napi_get_value_string_utf8(env, v, nullptr, 0, &len));
  std::string s(len, '\0');
  NAPI_OK(napi_get_value_string_utf8(env, v, &s[0], len + 1, &len));
  return s;
}

template <typename T>
T* typedData(napi_env env, napi_value v, size_t* length, napi_typedarray_type want, const char* what) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) throw std::runtime_error(std::string(what) + " must be a typed array");
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  NAPI_OK(napi_get_typedarray_info(env, v, &type, &len, &data, &ab, &off));
  if (type != want) throw std::runtime_error(std::string(what) + " has the wrong element type");
  if (length) *length = len;
  return static_cast<T*>(data);
}

bool isNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  return t == napi_null || t == napi_undefined;
}

double getNumber(napi_env env, napi_value v) {
  double d;
  NAPI_OK(napi_get_value_double(env, v, &d));
  return d;
}

Net* getNet(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok) throw std::runtime_error("expected a native net (from createNet)");
  if (!p) throw std::runtime_error("native net was disposed");
  return static_cast<Net*>(p);
}

// ------------------------------------------------------------------------------------------------------ createNet
NetDesc decodeDesc(const int32_t* a, size_t n) {
  size_t i = 0;
  auto next = [&]() {
    if (i >= n) throw std::runtime_error("net description is truncated");
    return (int)a[i++];
  };
  NetDesc d;
  d.arch = next();
  d.N = next();
  d.F = next();
  d.L = next();
  d.d = next();
  d.H = next();
  d.FF = next();
  d.layerNorm = next() != 0;
  d.outputs = next();
  d.paramCount = next();
  const int nPhi = next();
  for (int k = 0; k < nPhi; ++k) d.phi.push_back(next());
  const int nHead = next();
  for (int k = 0; k < nHead; ++k) d.head.push_back(next());
  d.embW = next();
  d.embB = next();
  if (d.arch == 0) {
    for (int l = 0; l < d.L; ++l) {
      BlockOffsets b;
      b.ln1g = next(); b.ln1b = next(); b.wqkv = next(); b.bqkv = next(); b.ow = next(); b.ob = next();
      b.ln2g = next(); b.ln2b = next(); b.f1w = next(); b.f1b = next(); b.f2w = next(); b.f2b = next();
      d.blocks.push_back(b);
    }
  }
  for (int k = 0; k < nPhi; ++k) {
    d.phiW.push_back(next());
    d.phiB.push_back(next());
  }
  for (int k = 0; k <= nHead; ++k) {
    d.headW.push_back(next());
    d.headB.push_back(next());
  }
  if (d.N <= 0 || d.F <= 0 || d.outputs <= 0 || d.paramCount <= 0) throw std::runtime_error("bad net shape");
  if (d.arch == 0 && (d.d <= 0 || d.H <= 0 || d.d % d.H != 0 || d.FF <= 0))
    throw std::runtime_error("bad transformer shape");
  return d;
}

void finalizeNet(napi_env, void* data, void*) { delete static_cast<Net*>(data); }

// createNet(desc: Int32Array, dropout: number (unused: multipliers come with each run), threads: number, simd: 'auto'|'generic', chunkRows: number)
napi_value CreateNet(napi_env env, napi_callback_info info) {
  return entryPoint<5>(env, info, "createNet", [&](napi_value* argv) -> napi_value {
    size_t n;
    const int32_t* a = typedData<int32_t>(env, argv[0], &n, napi_int32_array, "desc");
    NetDesc d = decodeDesc(a, n);
    d.dropout = (float)getNumber(env, argv[1]);
    int threads = (int)getNumber(env, argv[2]);
    if (threads <= 0) threads = (int)std::max(1u, std::thread::hardware_concurrency());
    const std::string simd = getString(env, argv[3]);
    const bool avx2 = simd != "generic" && cpuHasAvx2Fma();
    int rows = (int)getNumber(env, argv[4]);
    if (rows <= 0) rows = 256;
    Net* net = new Net(std::move(d), threads, avx2, rows);
    napi_value ext;
    if (napi_create_external(env, net, finalizeNet, nullptr, &ext) != napi_ok) {
      delete net;
      return throwJs(env, "cannot create native net");
    }
    return ext;
  });
}

// setParams(net, Float32Array)
napi_value SetParams(napi_env env, napi_callback_info info) {
  return entryPoint<2>(env, info, "setParams", [&](napi_value* argv) -> napi_value {
    Net* net = getNet(env, argv[0]);
    size_t n;
    const float* p = typedData<float>(env, argv[1], &n, napi_float32_array, "params");
    if ((int)n != net->desc.paramCount) return throwJs(env, "params length does not match the layout");
    std::memcpy(net->params.data(), p, n * sizeof(float));
    return nullptr;
  });
}

// run(net, x, mask, size, dOut|null, dropMultipliers|null ([2L][B,N,d] concatenated), out, gradParams|null, gradX|null)
napi_value Run(napi_env env, napi_callback_info info) {
  return entryPoint<9>(env, info, "run", [&](napi_value* argv) -> napi_value {
    Net* net = getNet(env, argv[0]);
    const NetDesc& d = net->desc;
    const int B = (int)getNumber(env, argv[3]);
    size_t nx, nm, no;
    const float* x = typedData<float>(env, argv[1], &nx, napi_float32_array, "x");
    const uint8_t* mask = typedData<uint8_t>(env, argv[2], &nm, napi_uint8_array, "mask");
    if (B < 0 || nx < (size_t)B * d.N * d.F || nm < (size_t)B * d.N) return throwJs(env, "batch arrays too short");
    const float* dOut = nullptr;
    if (!isNullish(env, argv[4])) {
      size_t nd;
      dOut = typedData<float>(env, argv[4], &nd, napi_float32_array, "dOut");
      if (nd < (size_t)B * d.outputs) return throwJs(env, "dOut too short");
    }
    const float* drop = nullptr;
    if (!isNullish(env, argv[5]) && d.arch == 0 && d.L > 0) {
      size_t nd;
      drop = typedData<float>(env, argv[5], &nd, napi_float32_array, "dropout multipliers");
      if (nd < (size_t)2 * d.L * B * d.N * d.d) return throwJs(env, "dropout multipliers too short");
    }
    float* out = typedData<float>(env, argv[6], &no, napi_float32_array, "out");
    if (no < (size_t)B * d.outputs) return throwJs(env, "out too short");
    float* gradP = nullptr;
    float* gradX = nullptr;
    if (!isNullish(env, argv[7])) {
      size_t ng;
      gradP = typedData<float>(env, argv[7], &ng, napi_float32_array, "gradParams");
      if ((int)ng != d.paramCount) return throwJs(env, "gradParams length does not match the layout");
    }
    if (!isNullish(env, argv[8])) {
      size_t ng;
      gradX = typedData<float>(env, argv[8], &ng, napi_float32_array, "gradX");
      if (ng < (size_t)B * d.N * d.F) return throwJs(env, "gradX too short");
    }
    if (!dOut) gradP = gradX = nullptr;

    // Static partition (deterministic for a given thread count): contiguous jet ranges of ~equal real rows.
    const int T = net->pool.size();
    std::vector<long> cum(B + 1, 0);
    for (int b = 0; b < B; ++b) {
      int c = 0;
      for (int i = 0; i < d.N; ++i) c += mask[(long)b * d.N + i] != 0;
      cum[b + 1] = cum[b] + c + 1;  // +1: a jet costs something even with few particles (head)
    }
    std::vector<int> bounds(T + 1, B);
    bounds[0] = 0;
    for (int t = 1; t < T; ++t) {
      const long target = cum[B] * t / T;
      bounds[t] = (int)(std::lower_bound(cum.begin(), cum.end(), target) - cum.begin());
      bounds[t] = std::max(bounds[t - 1], std::min(bounds[t], B));
    }
    if (gradP) {
      if ((int)net->acc.size() < T) net->acc.resize(T);
      std::memset(gradP, 0, sizeof(float) * d.paramCount);
    }
    const int rowsTarget = net->chunkRows;
    auto kernel = net->avx2 ? &avx2::runChunk : &generic::runChunk;
    // Chunks of ~rowsTarget real particles within [b0, b1).
    auto chunksOf = [&](int b0, int b1, std::vector<std::pair<int, int>>& out) {
      int j = b0;
      while (j < b1) {
        int j1 = j;
        long rows = 0;
        while (j1 < b1 && (rows == 0 || rows + (cum[j1 + 1] - cum[j1] - 1) <= rowsTarget) && j1 - j < 512) {
          rows += cum[j1 + 1] - cum[j1] - 1;
          ++j1;
        }
        out.emplace_back(j, j1);
        j = j1;
      }
    };
    if (!gradP) {
      // Outputs and input-gradients are per jet and do not depend on the chunking, so threads take chunks
      // dynamically (robust when other processes share the cores).
      std::vector<std::pair<int, int>> chunks;
      chunksOf(0, B, chunks);
      std::atomic<size_t> next{0};
      net->pool.run([&](int) {
        for (size_t i; (i = next.fetch_add(1)) < chunks.size();) {
          ChunkJob job{&d, net->params.data(), x, mask, chunks[i].first, chunks[i].second, dOut, out, gradX, nullptr, drop, B};
          kernel(job);
        }
      });
      return nullptr;
    }
    // Parameter gradients sum over jets: a static partition keeps the summation order fixed for a given thread count.
    net->pool.run([&](int t) {
      const int b0 = bounds[t], b1 = bounds[t + 1];
      if (b0 >= b1) return;
      float* acc = nullptr;
      if (t == 0) {
        acc = gradP;
      } else {
        auto& v = net->acc[t];
        v.assign(d.paramCount, 0.f);
        acc = v.data();
      }
      std::vector<std::pair<int, int>> chunks;
      chunksOf(b0, b1, chunks);
      for (auto& ch : chunks) {
        ChunkJob job{&d, net->params.data(), x, mask, ch.first, ch.second, dOut, out, gradX, acc, drop, B};
        kernel(job);
      }
    });
    if (gradP) {
      for (int t = 1; t < T; ++t) {
        if (bounds[t] >= bounds[t + 1]) continue;
        const float* v = net->acc[t].data();
        for (int i = 0; i < d.paramCount; ++i) gradP[i] += v[i];
      }
    }
    return nullptr;
  });
}

// dispose(net): joins the threads now (the external's finaliser would otherwise do it at GC).
napi_value Dispose(napi_env env, napi_callback_info info) {
  return entryPoint<1>(env, info, "dispose", [&](napi_value* argv) -> napi_value {
    Net* net = getNet(env, argv[0]);
    net->pool.~Pool();
    new (&net->pool) Pool(1);
    net->acc.clear();
    net->acc.shrink_to_fit();
    return nullptr;
  });
}

// info() → { simd: 'avx2-fma' | 'generic', hardwareThreads }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, simd, hw;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, cpuHasAvx2Fma() ? "avx2-fma" : "generic", NAPI_AUTO_LENGTH, &simd);
  napi_create_int32(env, (int)std::thread::hardware_concurrency(), &hw);
  napi_set_named_property(env, obj, "simd", simd);
  napi_set_named_property(env, obj, "hardwareThreads", hw);
  return obj;
}

// sgemmSeconds(n, reps, threads, simd) → Float64Array of wall-clock seconds for C = A·B (n×n), columns split over threads
napi_value SgemmSeconds(napi_env env, napi_callback_info info) {
  return entryPoint<4>(env, info, "sgemmSeconds", [&](napi_value* argv) -> napi_value {
    const int n = (int)getNumber(env, argv[0]);
    const int reps = (int)getNumber(env, argv[1]);
    int threads = (int)getNumber(env, argv[2]);
    if (threads <= 0) threads = (int)std::max(1u, std::thread::hardware_concurrency());
    const std::string simd = getString(env, argv[3]);
    auto g = (simd != "generic" && cpuHasAvx2Fma()) ? &avx2::gemm : &generic::gemm;
    std::vector<float> A((size_t)n * n), B((size_t)n * n), C((size_t)n * n);
    for (size_t i = 0; i < A.size(); ++i) {
      A[i] = (float)((i * 7919) % 1000) / 1000.f - 0.5f;
      B[i] = (float)((i * 104729) % 1000) / 1000.f - 0.5f;
    }
    Pool pool(threads);
    napi_value ab, arr;
    void* data;
    NAPI_OK(napi_create_arraybuffer(env, sizeof(double) * reps, &data, &ab));
    double* secs = static_cast<double*>(data);
    for (int r = 0; r < reps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      pool.run([&](int t) {
        const int per = ((n + threads - 1) / threads + 15) / 16 * 16;
        const int j0 = std::min(n, t * per), j1 = std::min(n, j0 + per);
        if (j1 > j0) g(n, j1 - j0, n, A.data(), n, false, B.data() + j0, n, false, C.data() + j0, n, false);
      });
      secs[r] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    NAPI_OK(napi_create_typedarray(env, napi_float64_array, reps, ab, 0, &arr));
    return arr;
  });
}

}  // namespace
}  // namespace ebm

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"createNet", nullptr, ebm::CreateNet, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setParams", nullptr, ebm::SetParams, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"run", nullptr, ebm::Run, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dispose", nullptr, ebm::Dispose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, ebm::Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgemmSeconds", nullptr, ebm::SgemmSeconds, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
