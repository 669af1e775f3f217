/*
 * VolSeg's fused CPU kernels for TensorFlow, registered through TensorFlow's C kernel API.
 *
 * Compiled on the machine that runs it (org.volseg.engine.kernels.KernelCompiler: cc -O3 -march=native
 * -shared, linked against the libtensorflow_framework.so.2 that TensorFlow Java loaded) and loaded
 * with TensorFlow.loadLibrary, which runs volseg_register_kernels below. Only the handful of
 * declarations it needs from TensorFlow's C API (tensorflow/c/c_api.h, kernels.h, ops.h,
 * tf_tensor.h, tf_status.h) are repeated here: those headers are not on Maven Central, and these
 * are stable C functions exported by libtensorflow_framework.so.2.
 *
 * Op VolsegDepthwiseConv3dGelu(input, filter, bias; threads) -> output
 *   input  [n, d0, d1, d2, C] float, channels last
 *   filter [3, 3, 3, C]       depthwise kernel, cross-correlation (PyTorch's Conv3d, groups = C)
 *   bias   [C]
 *   output [n, d0, d1, d2, C] = h (1 + erf h), h = depthwise(input, zero padding 1) + bias
 * h (1 + erf h) is sqrt 2 GELU(sqrt 2 h): the caller folds the two sqrt 2 factors into the filter,
 * the bias and the next layer's weight. One pass over memory instead of TensorFlow's six (transpose,
 * pad, three 2D depthwise convolutions, their sum, three element-wise passes). erf is Abramowitz &
 * Stegun 7.1.26 (absolute error <= 1.5e-7) with a Cephes-style exp; the sum is in the order
 * (kd, kh) rows, kw innermost, so results differ from TensorFlow's by float rounding.
 *
 * Op VolsegAttention(query, key, value; threads) -> output
 *   query [b, h, n, d], key [b, h, m, d], value [b, h, m, e]
 *   output [b, h, n, e] = softmax(query key^T) value, the softmax over the m keys (the caller scales
 *   the keys). Eight query rows at a time: their logits (8 x m floats) are computed, turned into
 *   exp(logit - row max) and multiplied by the values while they are in the cache; the division by
 *   the row sum is applied to the 8 x e results. TensorFlow writes and reads the n x m logits twice.
 *
 * Op VolsegConv3d(input, filter, bias, stride, padding; threads) -> output
 *   input [n, d0, d1, d2, Cin], filter [k, k, k, Cin, Cout] (k <= 8), bias [Cout], stride and padding
 *   int32 scalars (host memory); output [n, o0, o1, o2, Cout], o = (d + 2 padding - k) / stride + 1
 *   (PyTorch's Conv3d with the same kernel, stride and padding on every axis). SegFormer3D's patch
 *   embeddings (the first with few input channels) and its keys' reduction (kernel = stride): per
 *   output row, the k^2 input rows it reads are copied with their zero padding, then eight output
 *   voxels by 32 output channels are accumulated in registers at a time.
 *
 * Op VolsegResizeSumReluLinear(fine, coarse1, coarse2, coarse3, weight, bias; threads) -> output
 *   fine [n, D0, D1, D2, C], coarse1..3 [n, d0, d1, d2, C] (each its own size), weight [C, K], bias [K]
 *   output [n, D0, D1, D2, K] = relu(fine + sum_j resize(coarse_j)) weight + bias, resize being
 *   trilinear to (D0, D1, D2) with PyTorch's align_corners=False rule. SegFormer3D's decoder head:
 *   per output row, each coarse input's two-by-two rows are blended into one row; per voxel, the
 *   fine input plus those rows interpolated along d2 is summed and rectified in registers and mapped
 *   to K channels while in the cache.
 *   TensorFlow writes the three resized volumes, their sum and its ReLU (five n D0 D1 D2 C volumes).
 *
 * Op VolsegLayerNorm(input, gamma, beta, epsilon; threads) -> output
 *   input [..., C], gamma and beta [C], epsilon a float scalar (host memory); output the input's
 *   shape, (x - mean) / sqrt(var + epsilon) gamma + beta per row of C (biased variance, from the
 *   mean's deviations): PyTorch's LayerNorm over the last axis. A row is read three times while in
 *   the cache; threads only for at least 32768 elements each.
 *
 * threads (every op): the number of threads the op uses (the caller passes the session's intra-op
 * count); the work is split into that many contiguous ranges, one pthread each. Shapes are checked
 * before any data is read; a bad shape fails the op with an INVALID_ARGUMENT naming it.
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
typedef struct TF_ShapeHandle TF_ShapeHandle;
enum { VOLSEG_TF_FLOAT = 1 };                         /* TF_DataType TF_FLOAT */
enum { VOLSEG_TF_OK = 0, VOLSEG_TF_INVALID_ARGUMENT = 3 }; /* TF_Code */

extern TF_Status* TF_NewStatus(void);
extern void TF_DeleteStatus(TF_Status*);
extern void TF_SetStatus(TF_Status*, int code, const char* message);
extern int TF_GetCode(const TF_Status*);
extern void* TF_TensorData(const TF_Tensor*);
extern int TF_NumDims(const TF_Tensor*);
extern int64_t TF_Dim(const TF_Tensor*, int dim_index);
extern void TF_DeleteTensor(TF_Tensor*);
extern TF_KernelBuilder* TF_NewKernelBuilder(const char* op_name, const char* device_name,
		void* (*create)(TF_OpKernelConstruction*), void (*compute)(void*, TF_OpKernelContext*),
		void (*destroy)(void*));
extern void TF_RegisterKernelBuilder(const char* kernel_name, TF_KernelBuilder*, TF_Status*);
extern void TF_GetInput(TF_OpKernelContext*, int i, TF_Tensor** tensor, TF_Status*);
extern TF_Tensor* TF_AllocateOutput(TF_OpKernelContext*, int index, int dtype, const int64_t* dims,
		int num_dims, size_t len, TF_Status*);
extern void TF_OpKernelContext_Failure(TF_OpKernelContext*, TF_Status*);
extern void TF_OpKernelConstruction_GetAttrInt64(TF_OpKernelConstruction*, const char* name, int64_t* value,
		TF_Status*);
extern void TF_OpKernelConstruction_Failure(TF_OpKernelConstruction*, TF_Status*);
extern TF_OpDefinitionBuilder* TF_NewOpDefinitionBuilder(const char* op_name);
extern void TF_OpDefinitionBuilderAddInput(TF_OpDefinitionBuilder*, const char* spec);
extern void TF_OpDefinitionBuilderAddOutput(TF_OpDefinitionBuilder*, const char* spec);
extern void TF_OpDefinitionBuilderAddAttr(TF_OpDefinitionBuilder*, const char* spec);
extern void TF_OpDefinitionBuilderSetShapeInferenceFunction(TF_OpDefinitionBuilder*,
		void (*shape)(TF_ShapeInferenceContext*, TF_Status*));
extern void TF_RegisterOpDefinition(TF_OpDefinitionBuilder*, TF_Status*);
extern TF_ShapeHandle* TF_NewShapeHandle(void);
extern void TF_DeleteShapeHandle(TF_ShapeHandle*);
extern void TF_ShapeInferenceContextGetInput(TF_ShapeInferenceContext*, int i, TF_ShapeHandle*, TF_Status*);
extern void TF_ShapeInferenceContextSetOutput(TF_ShapeInferenceContext*, int i, TF_ShapeHandle*, TF_Status*);
extern void TF_ShapeInferenceContextWithRank(TF_ShapeInferenceContext*, TF_ShapeHandle* handle, int64_t rank,
		TF_ShapeHandle* new_shape, TF_Status*);
extern void TF_ShapeInferenceContextSubshape(TF_ShapeInferenceContext*, TF_ShapeHandle* handle, int64_t start,
		int64_t end, TF_ShapeHandle* result, TF_Status*);
extern void TF_ShapeInferenceContextSetUnknownShape(TF_ShapeInferenceContext*, TF_Status*);
extern void TF_KernelBuilder_HostMemory(TF_KernelBuilder*, const char* arg_name);
extern void TF_ShapeInferenceContextConcatenateShapes(TF_ShapeInferenceContext*, TF_ShapeHandle* first,
		TF_ShapeHandle* second, TF_ShapeHandle* result, TF_Status*);

/* ---- 16-float vectors (GCC/Clang vector extensions: one AVX-512 register, two AVX2 ones, ...) ---- */

#define L 16
typedef float vf __attribute__((vector_size(4 * L)));
typedef float vf_unaligned __attribute__((vector_size(4 * L), aligned(4)));
typedef int32_t vi __attribute__((vector_size(4 * L)));

static inline vf load(const float* p) { return *(const vf_unaligned*) p; }
static inline void store(float* p, vf v) { *(vf_unaligned*) p = v; }
static inline vf splat(float a) { return (vf) { a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a }; }
/* lanes of a where mask is set (-1), of b elsewhere */
static inline vf pick(vi mask, vf a, vf b) { return (vf) (((vi) a & mask) | ((vi) b & ~mask)); }
static inline vf vmin(vf a, vf b) { return pick(a < b, a, b); }
static inline vf vmax(vf a, vf b) { return pick(a > b, a, b); }

typedef float vf_half __attribute__((vector_size(2 * L)));
typedef float vf_quarter __attribute__((vector_size(L)));

/* the sum of v's lanes, by halving (a few shuffles and adds instead of L - 1 dependent adds) */
static inline float sum_lanes(vf v) {
	vf_half h0, h1;
	memcpy(&h0, &v, sizeof h0);
	memcpy(&h1, (const char*) &v + sizeof h0, sizeof h1);
	h0 += h1;
	vf_quarter q0, q1;
	memcpy(&q0, &h0, sizeof q0);
	memcpy(&q1, (const char*) &h0 + sizeof q0, sizeof q1);
	q0 += q1;
	return (q0[0] + q0[2]) + (q0[1] + q0[3]);
}

/* exp(x) = 2^k p(r), k = round(x / ln 2), r = x - k ln 2 (ln 2 in two parts); x clamped to [-87, 88] */
static inline vf vexp(vf x) {
	x = vmax(vmin(x, splat(88.0f)), splat(-87.0f));
	vf k = x * splat(1.44269504089f);
	vi ki = __builtin_convertvector(k + pick(k < 0, splat(-0.5f), splat(0.5f)), vi);
	k = __builtin_convertvector(ki, vf);
	vf r = x - k * splat(0.693359375f) + k * splat(2.12194440e-4f);
	vf p = splat(1.9875691500e-4f);
	p = p * r + splat(1.3981999507e-3f);
	p = p * r + splat(8.3334519073e-3f);
	p = p * r + splat(4.1665795894e-2f);
	p = p * r + splat(1.6666665459e-1f);
	p = p * r + splat(5.0000001201e-1f);
	p = p * r * r + r + splat(1.0f);
	return p * (vf) ((ki + 127) << 23);
}

/* exp(x) for x <= 0, as vexp (clamped at -87), k rounded by adding and subtracting 1.5 * 2^23: the
 * sum's low mantissa bits are k */
static inline vf vexp_nonpositive(vf x) {
	const vf magic = splat(12582912.0f);
	x = vmax(x, splat(-87.0f));
	vf t = x * splat(1.44269504089f) + magic;
	vf k = t - magic;
	vf r = x - k * splat(0.693359375f) + k * splat(2.12194440e-4f);
	vf p = splat(1.9875691500e-4f);
	p = p * r + splat(1.3981999507e-3f);
	p = p * r + splat(8.3334519073e-3f);
	p = p * r + splat(4.1665795894e-2f);
	p = p * r + splat(1.6666665459e-1f);
	p = p * r + splat(5.0000001201e-1f);
	p = p * r * r + r + splat(1.0f);
	return p * (vf) ((((vi) t - (vi) magic) + 127) << 23);
}

/* erf(x), Abramowitz & Stegun 7.1.26: absolute error <= 1.5e-7 */
static inline vf verf(vf x) {
	vf ax = vmax(x, -x);
	vf t = splat(1.0f) / (splat(1.0f) + splat(0.3275911f) * ax);
	vf p = splat(1.061405429f);
	p = p * t + splat(-1.453152027f);
	p = p * t + splat(1.421413741f);
	p = p * t + splat(-0.284496736f);
	p = p * t + splat(0.254829592f);
	vf y = splat(1.0f) - p * t * vexp(-ax * ax);
	return pick(x < 0, -y, y);
}

static inline vf erf_gate(vf h) { return h * (splat(1.0f) + verf(h)); }

/* ---- threads ---- */

#define MAX_THREADS 256

typedef struct {
	void (*run)(const void* part);
	const void* part;
} task;

static void* run_task(void* t) {
	((const task*) t)->run(((const task*) t)->part);
	return NULL;
}

/* runs count parts of size bytes each, the first on this thread and the others on a thread each
 * (on this one, after the others, if no thread can be had), and returns when all are done */
static void run_parts(const void* parts, size_t size, int count, void (*run)(const void* part)) {
	task tasks[MAX_THREADS];
	pthread_t thread[MAX_THREADS];
	int started[MAX_THREADS] = { 0 };
	for (int t = 0; t < count; t++) tasks[t] = (task) { run, (const char*) parts + t * size };
	for (int t = 1; t < count; t++) started[t] = pthread_create(&thread[t], NULL, run_task, &tasks[t]) == 0;
	run(parts);
	for (int t = 1; t < count; t++) {
		if (started[t]) pthread_join(thread[t], NULL);
		else run(tasks[t].part);
	}
}

/* runs count units of work (rows, blocks) split into min(threads, count) contiguous ranges, through
 * run_parts: part i is a copy of base (size bytes) whose int64_t fields at offsets first and end
 * (offsetof) are set to [count i / parts, count (i + 1) / parts) */
static void run_ranges(const void* base, size_t size, size_t first, size_t end, int64_t count, int64_t threads,
		void (*run)(const void* part)) {
	int parts = (int) (threads < count ? threads : count);
	char* copies = malloc(size * (size_t) parts);
	if (copies == NULL) abort();
	for (int i = 0; i < parts; i++) {
		int64_t range[2] = { count * i / parts, count * (i + 1) / parts };
		memcpy(copies + i * size, base, size);
		memcpy(copies + i * size + first, &range[0], sizeof range[0]);
		memcpy(copies + i * size + end, &range[1], sizeof range[1]);
	}
	run_parts(copies, size, parts, run);
	free(copies);
}

/* ---- depthwise 3x3x3 convolution + bias + h (1 + erf h) ---- */

typedef struct {
	const float* in;
	const float* filter;
	const float* bias;
	float* out;
	int64_t n, d0, d1, d2, c;
	int64_t row0, row1; /* output rows (b, z, y) of this part: [row0, row1) */
} dw_part;

#define XB 8 /* output voxels along d2 computed together: each loaded input vector serves up to 3 of them */

/* XB outputs x0 .. x0 + nx - 1 of one row, channels [c, c + L), from the nr in-range input rows */
static inline void dw_vector_block(const float* const* rows, const float* const* taps, int nr, int64_t channels,
		int64_t d2, int64_t x0, int nx, int64_t c, vf bias, float* out_row) {
	vf acc[XB];
	for (int i = 0; i < XB; i++) acc[i] = bias;
	int interior = x0 >= 1 && x0 + XB + 1 <= d2;
	for (int r = 0; r < nr; r++) {
		const float* in = rows[r] + c;
		const float* w = taps[r] + c;
		vf w0 = load(w), w1 = load(w + channels), w2 = load(w + 2 * channels);
		vf v[XB + 2];
		for (int i = 0; i < XB + 2; i++) {
			int64_t x = x0 + i - 1;
			v[i] = interior || (x >= 0 && x < d2) ? load(in + x * channels) : splat(0.0f);
		}
		for (int i = 0; i < XB; i++) acc[i] += v[i] * w0 + v[i + 1] * w1 + v[i + 2] * w2;
	}
	for (int i = 0; i < nx; i++) store(out_row + (x0 + i) * channels + c, erf_gate(acc[i]));
}

/* the channels past the last full vector, one at a time */
static void dw_scalar_tail(const float* const* rows, const float* const* taps, int nr, int64_t channels,
		int64_t d2, int64_t c0, const float* bias, float* out_row) {
	for (int64_t x = 0; x < d2; x++) {
		for (int64_t c = c0; c < channels; c++) {
			float h = bias[c];
			for (int r = 0; r < nr; r++)
				for (int kx = 0; kx < 3; kx++) {
					int64_t xx = x + kx - 1;
					if (xx >= 0 && xx < d2) h += rows[r][xx * channels + c] * taps[r][kx * channels + c];
				}
			out_row[x * channels + c] = erf_gate(splat(h))[0];
		}
	}
}

static void dw_run(const dw_part* p) {
	const int64_t d0 = p->d0, d1 = p->d1, d2 = p->d2, channels = p->c;
	const int64_t vector_channels = channels / L * L;
	for (int64_t row = p->row0; row < p->row1; row++) {
		int64_t y = row % d1, z = row / d1 % d0, b = row / (d1 * d0);
		const float* rows[9];
		const float* taps[9];
		int nr = 0;
		for (int kz = 0; kz < 3; kz++)
			for (int ky = 0; ky < 3; ky++) {
				int64_t zz = z + kz - 1, yy = y + ky - 1;
				if (zz < 0 || zz >= d0 || yy < 0 || yy >= d1) continue; /* zero padding */
				rows[nr] = p->in + ((b * d0 + zz) * d1 + yy) * d2 * channels;
				taps[nr] = p->filter + (kz * 3 + ky) * 3 * channels;
				nr++;
			}
		float* out_row = p->out + ((b * d0 + z) * d1 + y) * d2 * channels;
		for (int64_t x0 = 0; x0 < d2; x0 += XB) {
			int nx = d2 - x0 < XB ? (int) (d2 - x0) : XB;
			for (int64_t c = 0; c < vector_channels; c += L)
				dw_vector_block(rows, taps, nr, channels, d2, x0, nx, c, load(p->bias + c), out_row);
		}
		if (vector_channels < channels) dw_scalar_tail(rows, taps, nr, channels, d2, vector_channels, p->bias, out_row);
	}
}

static void dw_run_part(const void* part) { dw_run(part); }

typedef struct {
	int64_t threads;
} kernel_threads;

static void* kernel_create(TF_OpKernelConstruction* ctx) {
	kernel_threads* k = calloc(1, sizeof(kernel_threads));
	if (k == NULL) abort();
	TF_Status* s = TF_NewStatus();
	TF_OpKernelConstruction_GetAttrInt64(ctx, "threads", &k->threads, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK && (k->threads < 1 || k->threads > MAX_THREADS))
		TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "Volseg kernels: threads must be 1 to 256");
	if (TF_GetCode(s) != VOLSEG_TF_OK) TF_OpKernelConstruction_Failure(ctx, s);
	TF_DeleteStatus(s);
	return k;
}

static void kernel_delete(void* kernel) { free(kernel); }

/* the op's first n inputs into t[0..n): false, with s set, if one cannot be had (t must start NULL) */
static int get_inputs(TF_OpKernelContext* ctx, int n, TF_Tensor** t, TF_Status* s) {
	for (int i = 0; i < n && TF_GetCode(s) == VOLSEG_TF_OK; i++) TF_GetInput(ctx, i, &t[i], s);
	return TF_GetCode(s) == VOLSEG_TF_OK;
}

/* tells TensorFlow of s's error if there is one, then releases the count tensors of t (NULL ones
 * skipped) and s */
static void finish(TF_OpKernelContext* ctx, TF_Tensor** t, int count, TF_Status* s) {
	if (TF_GetCode(s) != VOLSEG_TF_OK) TF_OpKernelContext_Failure(ctx, s);
	for (int i = 0; i < count; i++)
		if (t[i] != NULL) TF_DeleteTensor(t[i]);
	TF_DeleteStatus(s);
}

/* the shapes' error, or NULL when input [n, d0, d1, d2, C], filter [3, 3, 3, C] and bias [C] fit */
static const char* dw_shape_error(const TF_Tensor* in, const TF_Tensor* filter, const TF_Tensor* bias, char* buf,
		size_t size) {
	if (TF_NumDims(in) != 5) return "VolsegDepthwiseConv3dGelu: input must be [n, d0, d1, d2, C]";
	int64_t c = TF_Dim(in, 4);
	if (TF_NumDims(filter) != 4 || TF_Dim(filter, 0) != 3 || TF_Dim(filter, 1) != 3 || TF_Dim(filter, 2) != 3
			|| TF_Dim(filter, 3) != c || TF_NumDims(bias) != 1 || TF_Dim(bias, 0) != c) {
		snprintf(buf, size, "VolsegDepthwiseConv3dGelu: filter must be [3, 3, 3, %lld] and bias [%lld]",
				(long long) c, (long long) c);
		return buf;
	}
	return NULL;
}

static void dw_compute(void* kernel, TF_OpKernelContext* ctx) {
	const kernel_threads* k = kernel;
	TF_Status* s = TF_NewStatus();
	TF_Tensor* t[4] = { NULL }; /* input, filter, bias, output */
	char message[160];
	const char* error = get_inputs(ctx, 3, t, s) ? dw_shape_error(t[0], t[1], t[2], message, sizeof message) : NULL;
	if (error != NULL) TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, error);
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		const TF_Tensor *in = t[0], *filter = t[1], *bias = t[2];
		int64_t dims[5];
		int64_t count = 1;
		for (int i = 0; i < 5; i++) count *= dims[i] = TF_Dim(in, i);
		TF_Tensor* out = t[3] = TF_AllocateOutput(ctx, 0, VOLSEG_TF_FLOAT, dims, 5, sizeof(float) * (size_t) count, s);
		int64_t rows = dims[0] * dims[1] * dims[2];
		if (TF_GetCode(s) == VOLSEG_TF_OK && count > 0) {
			dw_part base = { TF_TensorData(in), TF_TensorData(filter), TF_TensorData(bias), TF_TensorData(out), dims[0],
				dims[1], dims[2], dims[3], dims[4], 0, 0 };
			run_ranges(&base, sizeof base, offsetof(dw_part, row0), offsetof(dw_part, row1), rows, k->threads, dw_run_part);
		}
	}
	finish(ctx, t, 4, s);
}

/* ---- attention: softmax(q k^T) v per batch sample and head ---- */

typedef struct {
	const float* q; /* [b, h, n, d] */
	const float* k; /* [b, h, m, d] */
	const float* v; /* [b, h, m, e] */
	float* out;     /* [b, h, n, e] */
	int64_t heads, n, m, d, e; /* heads = b h */
	int64_t block0, block1;    /* query blocks (head, rows [QB i, QB i + QB)) of this part: [block0, block1) */
} attention_part;

#define QB 8 /* query rows computed together */

static inline int64_t round_up(int64_t a, int64_t b) { return (a + b - 1) / b * b; }

/* keys^T of one head in chunks of 2L keys, [mp / 2L][d][2L], zero beyond m: the logits loop reads a
 * chunk's d rows one after another (as [d][mp], rows mp floats apart fall into few cache sets) */
static void transpose_keys(const float* k, int64_t m, int64_t d, int64_t mp, float* kt) {
	for (int64_t j0 = 0; j0 < mp; j0 += 2 * L)
		for (int64_t i = 0; i < d; i++)
			for (int64_t j = j0; j < j0 + 2 * L; j++) kt[j0 * d + i * 2 * L + j - j0] = j < m ? k[j * d + i] : 0;
}

/* logits[r][j] = q_r . k_j for the rows of one block, keys past m -inf, and each row's largest
 * logit into top[r]. Inlined into callers that pass rows = QB, so that the row loops unroll and the
 * accumulators stay in registers. */
static inline __attribute__((always_inline)) void attention_logits(const float* q, int rows, int64_t d, const float* kt,
		int64_t m, int64_t mp, float* logits, float* top) {
	vf mx[QB];
	for (int r = 0; r < QB; r++) mx[r] = splat(-__builtin_inff());
	for (int64_t j = 0; j < mp; j += 2 * L) {
		vf acc0[QB], acc1[QB];
		for (int r = 0; r < QB; r++) acc0[r] = acc1[r] = splat(0.0f);
		for (int64_t i = 0; i < d; i++) {
			vf k0 = load(kt + j * d + i * 2 * L), k1 = load(kt + j * d + i * 2 * L + L);
			for (int r = 0; r < rows; r++) {
				vf qi = splat(q[r * d + i]);
				acc0[r] += qi * k0;
				acc1[r] += qi * k1;
			}
		}
		for (int r = 0; r < rows; r++) {
			store(logits + r * mp + j, acc0[r]);
			store(logits + r * mp + j + L, acc1[r]);
			if (j + 2 * L <= m) mx[r] = vmax(mx[r], vmax(acc0[r], acc1[r])); /* the padded keys' zeros stay out */
		}
	}
	for (int r = 0; r < rows; r++) {
		float t = mx[r][0];
		for (int i = 1; i < L; i++) t = mx[r][i] > t ? mx[r][i] : t;
		for (int64_t j = m / (2 * L) * (2 * L); j < m; j++) t = logits[r * mp + j] > t ? logits[r * mp + j] : t;
		for (int64_t j = m; j < mp; j++) logits[r * mp + j] = -__builtin_inff();
		top[r] = t;
	}
}

/* p_r = exp(logits_r - top_r), in place; 1 / sum_j p_rj into inverse[r] */
static void attention_softmax(float* logits, int rows, int64_t mp, const float* top, float* inverse) {
	for (int r = 0; r < rows; r++) {
		float* row = logits + r * mp;
		vf t = splat(top[r]);
		vf sum = splat(0.0f);
		for (int64_t j = 0; j < mp; j += L) {
			/* the keys past m: exp(-inf) is clamped to exp(-87), 1.6e-38, against a sum of at least 1 */
			vf p = vexp_nonpositive(load(row + j) - t);
			store(row + j, p);
			sum += p;
		}
		inverse[r] = 1.0f / sum_lanes(sum);
	}
}

/* out_r = inverse_r sum_j p_rj v_j (inlined as attention_logits is) */
static inline __attribute__((always_inline)) void attention_weighted_sum(const float* p, int rows, int64_t m, int64_t mp, const float* v, int64_t e,
		const float* inverse, float* out) {
	int64_t ev = e / L * L;
	int64_t c = 0;
	for (; c + 2 * L <= ev; c += 2 * L) { /* two vectors of columns: 2 QB accumulators, each p_rj loaded once */
		vf acc0[QB], acc1[QB];
		for (int r = 0; r < QB; r++) acc0[r] = acc1[r] = splat(0.0f);
		for (int64_t j = 0; j < m; j++) {
			vf v0 = load(v + j * e + c), v1 = load(v + j * e + c + L);
			for (int r = 0; r < rows; r++) {
				vf prj = splat(p[r * mp + j]);
				acc0[r] += prj * v0;
				acc1[r] += prj * v1;
			}
		}
		for (int r = 0; r < rows; r++) {
			store(out + r * e + c, acc0[r] * inverse[r]);
			store(out + r * e + c + L, acc1[r] * inverse[r]);
		}
	}
	for (; c < ev; c += L) {
		vf acc[QB];
		for (int r = 0; r < QB; r++) acc[r] = splat(0.0f);
		for (int64_t j = 0; j < m; j++) {
			vf vj = load(v + j * e + c);
			for (int r = 0; r < rows; r++) acc[r] += splat(p[r * mp + j]) * vj;
		}
		for (int r = 0; r < rows; r++) store(out + r * e + c, acc[r] * inverse[r]);
	}
	for (int64_t c = ev; c < e; c++)
		for (int r = 0; r < rows; r++) {
			float acc = 0;
			for (int64_t j = 0; j < m; j++) acc += p[r * mp + j] * v[j * e + c];
			out[r * e + c] = acc * inverse[r];
		}
}

/* attention_run's work for channels d and e, inlined into attention_run so that it can pass constants */
static inline __attribute__((always_inline)) void attention_run_channels(const attention_part* a, int64_t d, int64_t e) {
	const int64_t n = a->n, m = a->m, mp = round_up(m, 2 * L);
	const int64_t blocks_per_head = (n + QB - 1) / QB;
	float* kt = malloc(sizeof(float) * (size_t) (d * mp));
	float* logits = malloc(sizeof(float) * (size_t) (QB * mp));
	if (kt == NULL || logits == NULL) abort();
	int64_t head_in_kt = -1;
	for (int64_t block = a->block0; block < a->block1; block++) {
		int64_t head = block / blocks_per_head, row0 = block % blocks_per_head * QB;
		int rows = (int) (n - row0 < QB ? n - row0 : QB);
		if (head != head_in_kt) {
			transpose_keys(a->k + head * m * d, m, d, mp, kt);
			head_in_kt = head;
		}
		float top[QB], inverse[QB];
		const float* q = a->q + (head * n + row0) * d;
		const float* v = a->v + head * m * e;
		float* out = a->out + (head * n + row0) * e;
		if (rows == QB) {
			attention_logits(q, QB, d, kt, m, mp, logits, top);
			attention_softmax(logits, QB, mp, top, inverse);
			attention_weighted_sum(logits, QB, m, mp, v, e, inverse, out);
		} else {
			attention_logits(q, rows, d, kt, m, mp, logits, top);
			attention_softmax(logits, rows, mp, top, inverse);
			attention_weighted_sum(logits, rows, m, mp, v, e, inverse, out);
		}
	}
	free(kt);
	free(logits);
}

/* Heads of 32 channels (every SegFormer3D stage's) run a copy compiled for them: with d and e known
 * the compiler unrolls the channel loops and keeps the weighted sum's accumulators and values in
 * registers (a third less time than the general copy, which spills them) */
static void attention_run(const attention_part* a) {
	if (a->d == 32 && a->e == 32) attention_run_channels(a, 32, 32);
	else attention_run_channels(a, a->d, a->e);
}

static void attention_run_part(const void* part) { attention_run(part); }

/* the shapes' error, or NULL when q [b, h, n, d], k [b, h, m, d] and v [b, h, m, e] fit */
static const char* attention_shape_error(const TF_Tensor* q, const TF_Tensor* k, const TF_Tensor* v) {
	if (TF_NumDims(q) != 4 || TF_NumDims(k) != 4 || TF_NumDims(v) != 4)
		return "VolsegAttention: query, key and value must be [batch, heads, tokens, channels]";
	for (int i = 0; i < 2; i++)
		if (TF_Dim(k, i) != TF_Dim(q, i) || TF_Dim(v, i) != TF_Dim(q, i))
			return "VolsegAttention: query, key and value must have the same batch and heads";
	if (TF_Dim(k, 3) != TF_Dim(q, 3)) return "VolsegAttention: query and key must have the same channels";
	if (TF_Dim(v, 2) != TF_Dim(k, 2)) return "VolsegAttention: key and value must have the same tokens";
	if (TF_Dim(k, 2) < 1 && TF_Dim(q, 2) > 0) return "VolsegAttention: there must be at least one key";
	return NULL;
}

static void attention_compute(void* kernel, TF_OpKernelContext* ctx) {
	const kernel_threads* k = kernel;
	TF_Status* s = TF_NewStatus();
	TF_Tensor* t[4] = { NULL }; /* query, key, value, output */
	const char* error = get_inputs(ctx, 3, t, s) ? attention_shape_error(t[0], t[1], t[2]) : NULL;
	if (error != NULL) TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, error);
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		const TF_Tensor *q = t[0], *key = t[1], *v = t[2];
		int64_t dims[4] = { TF_Dim(q, 0), TF_Dim(q, 1), TF_Dim(q, 2), TF_Dim(v, 3) };
		int64_t count = dims[0] * dims[1] * dims[2] * dims[3];
		TF_Tensor* out = t[3] = TF_AllocateOutput(ctx, 0, VOLSEG_TF_FLOAT, dims, 4, sizeof(float) * (size_t) count, s);
		int64_t heads = dims[0] * dims[1], n = dims[2];
		int64_t blocks = heads * ((n + QB - 1) / QB);
		if (TF_GetCode(s) == VOLSEG_TF_OK && count > 0) {
			attention_part base = { TF_TensorData(q), TF_TensorData(key), TF_TensorData(v), TF_TensorData(out), heads, n,
				TF_Dim(key, 2), TF_Dim(q, 3), dims[3], 0, 0 };
			run_ranges(&base, sizeof base, offsetof(attention_part, block0), offsetof(attention_part, block1), blocks,
					k->threads, attention_run_part);
		}
	}
	finish(ctx, t, 4, s);
}

/* output 0's shape: input a's dimensions [0, a_end) then input b's [b_start, b_rank), input a of rank
 * a_rank and input b of rank b_rank */
static void concatenated_dims_shape(TF_ShapeInferenceContext* ctx, TF_Status* s, int a, int64_t a_rank, int64_t a_end,
		int b, int64_t b_rank, int64_t b_start) {
	TF_ShapeHandle* first = TF_NewShapeHandle();
	TF_ShapeHandle* second = TF_NewShapeHandle();
	TF_ShapeHandle* front = TF_NewShapeHandle();
	TF_ShapeHandle* back = TF_NewShapeHandle();
	TF_ShapeHandle* out = TF_NewShapeHandle();
	TF_ShapeInferenceContextGetInput(ctx, a, first, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextGetInput(ctx, b, second, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextWithRank(ctx, first, a_rank, first, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextWithRank(ctx, second, b_rank, second, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextSubshape(ctx, first, 0, a_end, front, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextSubshape(ctx, second, b_start, b_rank, back, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextConcatenateShapes(ctx, front, back, out, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, out, s);
	TF_ShapeHandle* handles[] = { first, second, front, back, out };
	for (int i = 0; i < 5; i++) TF_DeleteShapeHandle(handles[i]);
}

/* [b, h, n, e]: query's first three dimensions, value's last */
static void attention_shape(TF_ShapeInferenceContext* ctx, TF_Status* s) {
	concatenated_dims_shape(ctx, s, 0, 4, 3, 2, 4, 3);
}

/* ---- strided 3D convolution for few input channels ---- */

typedef struct {
	const float* in;     /* [n, d0, d1, d2, cin] */
	const float* filter; /* [k, k, k, cin, cout] */
	const float* bias;   /* [cout] */
	float* out;          /* [n, o0, o1, o2, cout] */
	int64_t n, d0, d1, d2, cin, cout, k, stride, pad, o0, o1, o2;
	int64_t row0, row1;  /* output rows (b, z, y) of this part: [row0, row1) */
} conv_part;

#define CB 8 /* output voxels along o2 computed together: each loaded filter vector serves CB of them */

/* CB outputs of a row, channels [c, c + 2L), from nr zero-padded input rows (padded voxel 0 is input
 * voxel -pad); the outputs past nx are computed and dropped */
static inline void conv_block(const conv_part* p, const float* const* rows, const float* const* taps, int nr,
		int64_t x0, int nx, int64_t c, float* out_row) {
	const int64_t cout = p->cout, run = p->k * p->cin, step = p->stride * p->cin;
	vf acc0[CB], acc1[CB];
	vf b0 = load(p->bias + c), b1 = load(p->bias + c + L);
	for (int i = 0; i < CB; i++) {
		acc0[i] = b0;
		acc1[i] = b1;
	}
	for (int r = 0; r < nr; r++) {
		const float* in = rows[r] + x0 * step;
		const float* w = taps[r] + c;
		for (int64_t t = 0; t < run; t++) {
			vf w0 = load(w + t * cout), w1 = load(w + t * cout + L);
			for (int i = 0; i < CB; i++) {
				vf a = splat(in[i * step + t]);
				acc0[i] += a * w0;
				acc1[i] += a * w1;
			}
		}
	}
	for (int i = 0; i < nx; i++) {
		store(out_row + (x0 + i) * cout + c, acc0[i]);
		store(out_row + (x0 + i) * cout + c + L, acc1[i]);
	}
}

/* the output channels past the last pair of vectors, one at a time */
static void conv_scalar_channels(const conv_part* p, const float* const* rows, const float* const* taps, int nr,
		int64_t c0, float* out_row) {
	const int64_t cin = p->cin, cout = p->cout, run = p->k * cin, step = p->stride * cin;
	for (int64_t x = 0; x < p->o2; x++)
		for (int64_t c = c0; c < cout; c++) {
			float acc = p->bias[c];
			for (int r = 0; r < nr; r++)
				for (int64_t t = 0; t < run; t++) acc += rows[r][x * step + t] * taps[r][t * cout + c];
			out_row[x * cout + c] = acc;
		}
}

/* Per output row: the k^2 input rows it reads (fewer at the volume's edges along d0 and d1, where
 * the padding is zeros) are copied, zero-padded along d2, into a buffer, so that every block reads
 * whole rows without bounds checks; then the row's blocks of CB outputs are computed. */
static void conv_run(const conv_part* p) {
	const int64_t k = p->k, cin = p->cin, cout = p->cout, vector_channels = cout / (2 * L) * (2 * L);
	const int64_t blocks = (p->o2 + CB - 1) / CB;
	const int64_t padded_length = ((blocks * CB - 1) * p->stride + k) * cin; /* room for whole blocks */
	float* buffer = malloc(sizeof(float) * (size_t) (k * k * padded_length));
	if (buffer == NULL) abort();
	const float* rows[64];
	const float* taps[64];
	for (int64_t row = p->row0; row < p->row1; row++) {
		int64_t y = row % p->o1, z = row / p->o1 % p->o0, b = row / (p->o1 * p->o0);
		int nr = 0;
		for (int64_t kz = 0; kz < k; kz++)
			for (int64_t ky = 0; ky < k; ky++) {
				int64_t zz = z * p->stride - p->pad + kz, yy = y * p->stride - p->pad + ky;
				if (zz < 0 || zz >= p->d0 || yy < 0 || yy >= p->d1) continue; /* zero padding */
				const float* src = p->in + ((b * p->d0 + zz) * p->d1 + yy) * p->d2 * cin;
				float* dst = buffer + nr * padded_length;
				int64_t before = p->pad * cin, data = p->d2 * cin;
				if (before + data > padded_length) data = padded_length - before;
				for (int64_t i = 0; i < before; i++) dst[i] = 0;
				for (int64_t i = 0; i < data; i++) dst[before + i] = src[i];
				for (int64_t i = before + data; i < padded_length; i++) dst[i] = 0;
				rows[nr] = dst;
				taps[nr] = p->filter + (kz * k + ky) * k * cin * cout;
				nr++;
			}
		float* out_row = p->out + ((b * p->o0 + z) * p->o1 + y) * p->o2 * cout;
		for (int64_t x0 = 0; x0 < p->o2; x0 += CB) {
			int nx = p->o2 - x0 < CB ? (int) (p->o2 - x0) : CB;
			for (int64_t c = 0; c < vector_channels; c += 2 * L) conv_block(p, rows, taps, nr, x0, nx, c, out_row);
		}
		if (vector_channels < cout) conv_scalar_channels(p, rows, taps, nr, vector_channels, out_row);
	}
	free(buffer);
}

static void conv_run_part(const void* part) { conv_run(part); }

static void conv_compute(void* kernel, TF_OpKernelContext* ctx) {
	const kernel_threads* kn = kernel;
	TF_Status* s = TF_NewStatus();
	TF_Tensor* t[6] = { NULL }; /* input, filter, bias, stride, padding, output */
	get_inputs(ctx, 5, t, s);
	const TF_Tensor *in = t[0], *filter = t[1], *bias = t[2], *stride = t[3], *pad = t[4];
	conv_part base = { 0 };
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		if (TF_NumDims(in) != 5 || TF_NumDims(filter) != 5 || TF_NumDims(bias) != 1 || TF_NumDims(stride) != 0
				|| TF_NumDims(pad) != 0)
			TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "VolsegConv3d: input must be [n, d0, d1, d2, Cin], filter "
					"[k, k, k, Cin, Cout], bias [Cout], stride and padding scalars");
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		base.n = TF_Dim(in, 0);
		base.d0 = TF_Dim(in, 1);
		base.d1 = TF_Dim(in, 2);
		base.d2 = TF_Dim(in, 3);
		base.cin = TF_Dim(in, 4);
		base.k = TF_Dim(filter, 0);
		base.cout = TF_Dim(filter, 4);
		base.stride = *(const int32_t*) TF_TensorData(stride);
		base.pad = *(const int32_t*) TF_TensorData(pad);
		if (TF_Dim(filter, 1) != base.k || TF_Dim(filter, 2) != base.k || TF_Dim(filter, 3) != base.cin
				|| TF_Dim(bias, 0) != base.cout || base.k < 1 || base.k * base.k > 64)
			TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "VolsegConv3d: filter must be [k, k, k, Cin, Cout] with k 1 to 8 "
					"and Cin the input's channels, bias [Cout]");
		else if (base.stride < 1 || base.pad < 0 || base.pad >= base.k)
			TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "VolsegConv3d: stride must be at least 1 and padding 0 to k - 1");
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		base.o0 = (base.d0 + 2 * base.pad - base.k) / base.stride + 1;
		base.o1 = (base.d1 + 2 * base.pad - base.k) / base.stride + 1;
		base.o2 = (base.d2 + 2 * base.pad - base.k) / base.stride + 1;
		if (base.d0 + 2 * base.pad < base.k || base.d1 + 2 * base.pad < base.k || base.d2 + 2 * base.pad < base.k)
			base.o0 = base.o1 = base.o2 = 0;
		int64_t dims[5] = { base.n, base.o0, base.o1, base.o2, base.cout };
		int64_t count = dims[0] * dims[1] * dims[2] * dims[3] * dims[4];
		TF_Tensor* out = t[5] = TF_AllocateOutput(ctx, 0, VOLSEG_TF_FLOAT, dims, 5, sizeof(float) * (size_t) count, s);
		int64_t rows = base.n * base.o0 * base.o1;
		if (TF_GetCode(s) == VOLSEG_TF_OK && count > 0) {
			base.in = TF_TensorData(in);
			base.filter = TF_TensorData(filter);
			base.bias = TF_TensorData(bias);
			base.out = TF_TensorData(out);
			run_ranges(&base, sizeof base, offsetof(conv_part, row0), offsetof(conv_part, row1), rows, kn->threads,
					conv_run_part);
		}
	}
	finish(ctx, t, 6, s);
}

/* ---- trilinear resize of coarse volumes, sum, ReLU and linear map (SegFormer3D's decoder head) ---- */

#define COARSE 3 /* coarse inputs */

/* one output axis's interpolation from an input axis of length in: output o reads i0[o] and i1[o]
 * with weights 1 - w1[o] and w1[o] */
typedef struct {
	int64_t* i0;
	int64_t* i1;
	float* w1;
} axis_weights;

typedef struct {
	const float* fine;             /* [n, D0, D1, D2, C] */
	const float* coarse[COARSE];   /* [n, d0, d1, d2, C] each */
	int64_t size[COARSE][3];       /* the coarse inputs' (d0, d1, d2) */
	axis_weights axes[COARSE][3];  /* per coarse input and axis, D0, D1 or D2 entries */
	const float* weight_t;         /* [K, C]: the weight transposed */
	const float* bias;             /* [K] */
	float* out;                    /* [n, D0, D1, D2, K] */
	int64_t n, d0, d1, d2, c, k;
	int64_t row0, row1;            /* output rows (b, z, y) of this part: [row0, row1) */
} head_part;

/* PyTorch's trilinear rule on one axis (align_corners=False): source s = scale (o + 0.5) - 0.5,
 * scale = in / out in float, clamped to [0, in - 1]; i0 = floor(s), i1 = min(i0 + 1, in - 1), w1 = s - i0 */
static void fill_axis_weights(int64_t in, int64_t out, axis_weights* a) {
	float scale = (float) in / (float) out;
	for (int64_t o = 0; o < out; o++) {
		float s = scale * ((float) o + 0.5f) - 0.5f;
		if (s < 0) s = 0;
		if (s > (float) (in - 1)) s = (float) (in - 1);
		int64_t i0 = (int64_t) s;
		a->i0[o] = i0;
		a->i1[o] = i0 + 1 < in ? i0 + 1 : in - 1;
		a->w1[o] = s - (float) i0;
	}
}

/* plane [length] = the rows (z0, y0), (z0, y1), (z1, y0) and (z1, y1) of volume [..][d1][length],
 * weighted (1 - wz)(1 - wy), (1 - wz) wy, wz (1 - wy) and wz wy */
static void blend_rows(const float* volume, int64_t d1, int64_t length, int64_t z0, int64_t z1, float wz, int64_t y0,
		int64_t y1, float wy, float* plane) {
	const float* r00 = volume + (z0 * d1 + y0) * length;
	const float* r01 = volume + (z0 * d1 + y1) * length;
	const float* r10 = volume + (z1 * d1 + y0) * length;
	const float* r11 = volume + (z1 * d1 + y1) * length;
	const float w00 = (1 - wz) * (1 - wy), w01 = (1 - wz) * wy, w10 = wz * (1 - wy), w11 = wz * wy;
	int64_t i = 0;
	for (; i + L <= length; i += L)
		store(plane + i, splat(w00) * load(r00 + i) + splat(w01) * load(r01 + i) + splat(w10) * load(r10 + i)
				+ splat(w11) * load(r11 + i));
	for (; i < length; i++) plane[i] = w00 * r00[i] + w01 * r01[i] + w10 * r10[i] + w11 * r11[i];
}

/* plane [d2][C] = coarse input j's rows around output row (b, z, y), blended along d0 and d1 */
static void head_blend_rows(const head_part* p, int j, int64_t b, int64_t z, int64_t y, float* plane) {
	const int64_t cd0 = p->size[j][0], cd1 = p->size[j][1], length = p->size[j][2] * p->c;
	const axis_weights* a = p->axes[j];
	blend_rows(p->coarse[j] + b * cd0 * cd1 * length, cd1, length, a[0].i0[z], a[0].i1[z], a[0].w1[z], a[1].i0[y],
			a[1].i1[y], a[1].w1[y], plane);
}

/* Per output row: each coarse input's rows are blended into a plane [d2_j][C]; then per voxel x,
 * h = relu(fine + the planes interpolated along d2) is formed in registers a vector of channels at a
 * time into hx [C], and mapped to the K outputs. */
static void head_run(const head_part* p) {
	const int64_t c = p->c, k = p->k, d2 = p->d2, vector_channels = c / L * L;
	float* plane[COARSE];
	float* hx = malloc(sizeof(float) * (size_t) c);
	if (hx == NULL) abort();
	for (int j = 0; j < COARSE; j++)
		if ((plane[j] = malloc(sizeof(float) * (size_t) (p->size[j][2] * c))) == NULL) abort();
	for (int64_t row = p->row0; row < p->row1; row++) {
		int64_t y = row % p->d1, z = row / p->d1 % p->d0, b = row / (p->d1 * p->d0);
		for (int j = 0; j < COARSE; j++) head_blend_rows(p, j, b, z, y, plane[j]);
		const float* fine = p->fine + row * d2 * c;
		float* out = p->out + row * d2 * k;
		for (int64_t x = 0; x < d2; x++) {
			const float *lo[COARSE], *hi[COARSE];
			float wlo[COARSE], whi[COARSE];
			for (int j = 0; j < COARSE; j++) {
				const axis_weights* a = &p->axes[j][2];
				lo[j] = plane[j] + a->i0[x] * c;
				hi[j] = plane[j] + a->i1[x] * c;
				whi[j] = a->w1[x];
				wlo[j] = 1 - whi[j];
			}
			const float* f = fine + x * c;
			int64_t i = 0;
			for (; i < vector_channels; i += L) {
				vf h = load(f + i);
				for (int j = 0; j < COARSE; j++) h += splat(wlo[j]) * load(lo[j] + i) + splat(whi[j]) * load(hi[j] + i);
				store(hx + i, vmax(h, splat(0.0f)));
			}
			for (; i < c; i++) {
				float h = f[i];
				for (int j = 0; j < COARSE; j++) h += wlo[j] * lo[j][i] + whi[j] * hi[j][i];
				hx[i] = h > 0 ? h : 0;
			}
			for (int64_t o = 0; o < k; o++) {
				const float* w = p->weight_t + o * c;
				vf acc = splat(0.0f);
				for (i = 0; i < vector_channels; i += L) acc += load(hx + i) * load(w + i);
				float sum = p->bias[o] + sum_lanes(acc);
				for (i = vector_channels; i < c; i++) sum += hx[i] * w[i];
				out[x * k + o] = sum;
			}
		}
	}
	free(hx);
	for (int j = 0; j < COARSE; j++) free(plane[j]);
}

static void head_run_part(const void* part) { head_run(part); }

/* the shapes' error, or NULL when fine [n, D0, D1, D2, C], the coarse inputs [n, d0, d1, d2, C] (no
 * size 0), weight [C, K] and bias [K] fit (t: fine, the coarse inputs, weight, bias) */
static const char* head_shape_error(TF_Tensor* const* t) {
	const TF_Tensor *fine = t[0], *weight = t[COARSE + 1], *bias = t[COARSE + 2];
	if (TF_NumDims(fine) != 5) return "VolsegResizeSumReluLinear: fine must be [n, D0, D1, D2, C]";
	for (int j = 1; j <= COARSE; j++) {
		if (TF_NumDims(t[j]) != 5 || TF_Dim(t[j], 0) != TF_Dim(fine, 0) || TF_Dim(t[j], 4) != TF_Dim(fine, 4))
			return "VolsegResizeSumReluLinear: each coarse input must be [n, d0, d1, d2, C] with fine's n and C";
		for (int a = 1; a <= 3; a++)
			if (TF_Dim(t[j], a) < 1 && TF_Dim(fine, 0) > 0 && TF_Dim(fine, a) > 0)
				return "VolsegResizeSumReluLinear: a coarse input is empty along an axis the output is not";
	}
	if (TF_NumDims(weight) != 2 || TF_Dim(weight, 0) != TF_Dim(fine, 4) || TF_NumDims(bias) != 1
			|| TF_Dim(bias, 0) != TF_Dim(weight, 1))
		return "VolsegResizeSumReluLinear: weight must be [C, K] with fine's C, and bias [K]";
	return NULL;
}

static void head_compute(void* kernel, TF_OpKernelContext* ctx) {
	const kernel_threads* kn = kernel;
	TF_Status* s = TF_NewStatus();
	TF_Tensor* t[COARSE + 4] = { NULL }; /* fine, coarse inputs, weight, bias, output */
	const char* error = get_inputs(ctx, COARSE + 3, t, s) ? head_shape_error(t) : NULL;
	if (error != NULL) TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, error);
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		head_part base = { 0 };
		const TF_Tensor *fine = t[0], *weight = t[COARSE + 1];
		base.n = TF_Dim(fine, 0);
		base.d0 = TF_Dim(fine, 1);
		base.d1 = TF_Dim(fine, 2);
		base.d2 = TF_Dim(fine, 3);
		base.c = TF_Dim(fine, 4);
		base.k = TF_Dim(weight, 1);
		int64_t dims[5] = { base.n, base.d0, base.d1, base.d2, base.k };
		int64_t count = base.n * base.d0 * base.d1 * base.d2 * base.k;
		TF_Tensor* out = t[COARSE + 3] = TF_AllocateOutput(ctx, 0, VOLSEG_TF_FLOAT, dims, 5, sizeof(float) * (size_t) count, s);
		int64_t rows = base.n * base.d0 * base.d1;
		if (TF_GetCode(s) == VOLSEG_TF_OK && count > 0) {
			const int64_t extent[3] = { base.d0, base.d1, base.d2 };
			/* the axis tables, then the transposed weight */
			int64_t total_extent = COARSE * (base.d0 + base.d1 + base.d2);
			int64_t* indices = malloc(sizeof(int64_t) * (size_t) (2 * total_extent));
			float* floats = malloc(sizeof(float) * (size_t) (total_extent + base.k * base.c));
			if (indices == NULL || floats == NULL) abort();
			int64_t* next_index = indices;
			float* next = floats;
			for (int j = 0; j < COARSE; j++) {
				base.coarse[j] = TF_TensorData(t[j + 1]);
				for (int a = 0; a < 3; a++) {
					axis_weights* w = &base.axes[j][a];
					base.size[j][a] = TF_Dim(t[j + 1], a + 1);
					w->i0 = next_index;
					w->i1 = next_index + extent[a];
					w->w1 = next;
					next_index += 2 * extent[a];
					next += extent[a];
					fill_axis_weights(base.size[j][a], extent[a], w);
				}
			}
			const float* w = TF_TensorData(weight);
			for (int64_t i = 0; i < base.c; i++)
				for (int64_t o = 0; o < base.k; o++) next[o * base.c + i] = w[i * base.k + o];
			base.weight_t = next;
			base.fine = TF_TensorData(fine);
			base.bias = TF_TensorData(t[COARSE + 2]);
			base.out = TF_TensorData(out);
			run_ranges(&base, sizeof base, offsetof(head_part, row0), offsetof(head_part, row1), rows, kn->threads,
					head_run_part);
			free(indices);
			free(floats);
		}
	}
	finish(ctx, t, COARSE + 4, s);
}

/* [n, D0, D1, D2, K]: fine's first four dimensions, weight's last */
static void head_shape(TF_ShapeInferenceContext* ctx, TF_Status* s) {
	concatenated_dims_shape(ctx, s, 0, 5, 4, COARSE + 1, 2, 1);
}

/* ---- LayerNorm over the last axis ---- */

typedef struct {
	const float* in;    /* [rows, C] */
	const float* gamma; /* [C] */
	const float* beta;  /* [C] */
	float* out;         /* [rows, C] */
	int64_t c;
	float epsilon;
	int64_t row0, row1; /* rows of this part: [row0, row1) */
} norm_part;

#define NORM_PART_ELEMENTS 32768 /* the least work worth a thread of its own */

static void norm_run(const norm_part* p) {
	const int64_t c = p->c, vector_channels = c / L * L;
	for (int64_t row = p->row0; row < p->row1; row++) {
		const float* x = p->in + row * c;
		float* y = p->out + row * c;
		vf acc = splat(0.0f);
		int64_t i = 0;
		for (; i < vector_channels; i += L) acc += load(x + i);
		float sum = sum_lanes(acc);
		for (; i < c; i++) sum += x[i];
		const float mean = sum / (float) c;
		const vf m = splat(mean);
		acc = splat(0.0f);
		for (i = 0; i < vector_channels; i += L) {
			vf d = load(x + i) - m;
			acc += d * d;
		}
		float squares = sum_lanes(acc);
		for (; i < c; i++) squares += (x[i] - mean) * (x[i] - mean);
		const float scale = 1.0f / sqrtf(squares / (float) c + p->epsilon);
		const vf s = splat(scale);
		for (i = 0; i < vector_channels; i += L) store(y + i, (load(x + i) - m) * s * load(p->gamma + i) + load(p->beta + i));
		for (; i < c; i++) y[i] = (x[i] - mean) * scale * p->gamma[i] + p->beta[i];
	}
}

static void norm_run_part(const void* part) { norm_run(part); }

static void norm_compute(void* kernel, TF_OpKernelContext* ctx) {
	const kernel_threads* kn = kernel;
	TF_Status* s = TF_NewStatus();
	TF_Tensor* t[5] = { NULL }; /* input, gamma, beta, epsilon, output */
	get_inputs(ctx, 4, t, s);
	const TF_Tensor *in = t[0], *gamma = t[1], *beta = t[2], *epsilon = t[3];
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		int rank = TF_NumDims(in);
		int64_t c = rank < 1 ? 0 : TF_Dim(in, rank - 1);
		if (rank < 1 || TF_NumDims(gamma) != 1 || TF_Dim(gamma, 0) != c || TF_NumDims(beta) != 1 || TF_Dim(beta, 0) != c
				|| TF_NumDims(epsilon) != 0)
			TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "VolsegLayerNorm: input must be [..., C], gamma and beta [C] and "
					"epsilon a scalar");
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		int rank = TF_NumDims(in);
		int64_t dims[8];
		int64_t count = 1;
		for (int i = 0; i < rank && i < 8; i++) count *= dims[i] = TF_Dim(in, i);
		if (rank > 8) TF_SetStatus(s, VOLSEG_TF_INVALID_ARGUMENT, "VolsegLayerNorm: input of rank over 8");
		TF_Tensor* out = NULL;
		if (TF_GetCode(s) == VOLSEG_TF_OK)
			out = t[4] = TF_AllocateOutput(ctx, 0, VOLSEG_TF_FLOAT, dims, rank, sizeof(float) * (size_t) count, s);
		int64_t c = dims[rank - 1], rows = c > 0 ? count / c : 0;
		if (TF_GetCode(s) == VOLSEG_TF_OK && count > 0) {
			norm_part base = { TF_TensorData(in), TF_TensorData(gamma), TF_TensorData(beta), TF_TensorData(out), c,
				*(const float*) TF_TensorData(epsilon), 0, 0 };
			int64_t worth = (count + NORM_PART_ELEMENTS - 1) / NORM_PART_ELEMENTS;
			run_ranges(&base, sizeof base, offsetof(norm_part, row0), offsetof(norm_part, row1), rows,
					kn->threads < worth ? kn->threads : worth, norm_run_part);
		}
	}
	finish(ctx, t, 5, s);
}

/* unknown: the sizes depend on the stride and padding inputs' values (callers that build the op
 * directly set the static shape they know, with EnsureShape) */
static void unknown_shape(TF_ShapeInferenceContext* ctx, TF_Status* s) { TF_ShapeInferenceContextSetUnknownShape(ctx, s); }

static void same_shape_as_input(TF_ShapeInferenceContext* ctx, TF_Status* s) {
	TF_ShapeHandle* shape = TF_NewShapeHandle();
	TF_ShapeInferenceContextGetInput(ctx, 0, shape, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, shape, s);
	TF_DeleteShapeHandle(shape);
}

/* runs when TensorFlow.loadLibrary opens this library */
__attribute__((constructor)) static void volseg_register_kernels(void) {
	TF_Status* s = TF_NewStatus();
	TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder("VolsegDepthwiseConv3dGelu");
	TF_OpDefinitionBuilderAddInput(op, "input: float");
	TF_OpDefinitionBuilderAddInput(op, "filter: float");
	TF_OpDefinitionBuilderAddInput(op, "bias: float");
	TF_OpDefinitionBuilderAddOutput(op, "output: float");
	TF_OpDefinitionBuilderAddAttr(op, "threads: int = 1");
	TF_OpDefinitionBuilderSetShapeInferenceFunction(op, same_shape_as_input);
	TF_RegisterOpDefinition(op, s);
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		TF_KernelBuilder* kernel = TF_NewKernelBuilder("VolsegDepthwiseConv3dGelu", "CPU", kernel_create, dw_compute,
				kernel_delete);
		TF_RegisterKernelBuilder("VolsegDepthwiseConv3dGelu", kernel, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		op = TF_NewOpDefinitionBuilder("VolsegAttention");
		TF_OpDefinitionBuilderAddInput(op, "query: float");
		TF_OpDefinitionBuilderAddInput(op, "key: float");
		TF_OpDefinitionBuilderAddInput(op, "value: float");
		TF_OpDefinitionBuilderAddOutput(op, "output: float");
		TF_OpDefinitionBuilderAddAttr(op, "threads: int = 1");
		TF_OpDefinitionBuilderSetShapeInferenceFunction(op, attention_shape);
		TF_RegisterOpDefinition(op, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		TF_KernelBuilder* kernel = TF_NewKernelBuilder("VolsegAttention", "CPU", kernel_create, attention_compute, kernel_delete);
		TF_RegisterKernelBuilder("VolsegAttention", kernel, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		op = TF_NewOpDefinitionBuilder("VolsegConv3d");
		TF_OpDefinitionBuilderAddInput(op, "input: float");
		TF_OpDefinitionBuilderAddInput(op, "filter: float");
		TF_OpDefinitionBuilderAddInput(op, "bias: float");
		TF_OpDefinitionBuilderAddInput(op, "stride: int32");
		TF_OpDefinitionBuilderAddInput(op, "padding: int32");
		TF_OpDefinitionBuilderAddOutput(op, "output: float");
		TF_OpDefinitionBuilderAddAttr(op, "threads: int = 1");
		TF_OpDefinitionBuilderSetShapeInferenceFunction(op, unknown_shape);
		TF_RegisterOpDefinition(op, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		TF_KernelBuilder* kernel = TF_NewKernelBuilder("VolsegConv3d", "CPU", kernel_create, conv_compute, kernel_delete);
		TF_KernelBuilder_HostMemory(kernel, "stride");
		TF_KernelBuilder_HostMemory(kernel, "padding");
		TF_RegisterKernelBuilder("VolsegConv3d", kernel, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		op = TF_NewOpDefinitionBuilder("VolsegResizeSumReluLinear");
		TF_OpDefinitionBuilderAddInput(op, "fine: float");
		TF_OpDefinitionBuilderAddInput(op, "coarse1: float");
		TF_OpDefinitionBuilderAddInput(op, "coarse2: float");
		TF_OpDefinitionBuilderAddInput(op, "coarse3: float");
		TF_OpDefinitionBuilderAddInput(op, "weight: float");
		TF_OpDefinitionBuilderAddInput(op, "bias: float");
		TF_OpDefinitionBuilderAddOutput(op, "output: float");
		TF_OpDefinitionBuilderAddAttr(op, "threads: int = 1");
		TF_OpDefinitionBuilderSetShapeInferenceFunction(op, head_shape);
		TF_RegisterOpDefinition(op, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		TF_KernelBuilder* kernel = TF_NewKernelBuilder("VolsegResizeSumReluLinear", "CPU", kernel_create, head_compute,
				kernel_delete);
		TF_RegisterKernelBuilder("VolsegResizeSumReluLinear", kernel, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		op = TF_NewOpDefinitionBuilder("VolsegLayerNorm");
		TF_OpDefinitionBuilderAddInput(op, "input: float");
		TF_OpDefinitionBuilderAddInput(op, "gamma: float");
		TF_OpDefinitionBuilderAddInput(op, "beta: float");
		TF_OpDefinitionBuilderAddInput(op, "epsilon: float");
		TF_OpDefinitionBuilderAddOutput(op, "output: float");
		TF_OpDefinitionBuilderAddAttr(op, "threads: int = 1");
		TF_OpDefinitionBuilderSetShapeInferenceFunction(op, same_shape_as_input);
		TF_RegisterOpDefinition(op, s);
	}
	if (TF_GetCode(s) == VOLSEG_TF_OK) {
		TF_KernelBuilder* kernel = TF_NewKernelBuilder("VolsegLayerNorm", "CPU", kernel_create, norm_compute, kernel_delete);
		TF_KernelBuilder_HostMemory(kernel, "epsilon");
		TF_RegisterKernelBuilder("VolsegLayerNorm", kernel, s);
	}
	TF_DeleteStatus(s);
}
