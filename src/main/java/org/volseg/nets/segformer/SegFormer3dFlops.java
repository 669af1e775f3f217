package org.volseg.nets.segformer;

/**
 * Floating-point operations of one SegFormer3D forward pass, counted as 2 per multiply-add of the
 * convolutions, linear layers, depthwise convolutions and attention matmuls (normalisations,
 * activations, softmax and resizing, which are memory-bound, are not counted). For reporting
 * achieved GFLOP/s in benchmarks ({@code volseg bench forward}, through
 * {@link SegFormer3dNetwork#referenceFlops}): {@link #forward} counts the reference network's operations (the
 * work a forward pass stands for), {@link #executed} the multiply-adds VolSeg's graph actually does
 * (fewer in the decoder, more in the first patch embedding; see {@link SegFormer3dNetwork}).
 */
final class SegFormer3dFlops {

	private SegFormer3dFlops() {}

	/** FLOPs of the reference network for one input volume (batch 1) of the given spatial size. */
	static double forward(SegFormer3dConfig c, long[] inputSize) {
		return count(c, inputSize, false);
	}

	/**
	 * FLOPs VolSeg's inference graph executes for the same: each decoder stage's Linear (C_s -> d),
	 * LayerNorm and block of {@code linear_fuse} as one {@link NormalizedProjection}
	 * ({@code n_s ((C_s + 1) d + C_s k_s)} multiply-adds per stage, {@code k_s = C_s + 1} if
	 * {@code 2 (C_s + 1) <= d}, else d, instead of {@code n_s C_s d} plus
	 * {@code n_1 4 d^2} for {@code linear_fuse} at stage 1's resolution), the first
	 * patch embedding as {@link BlockedConv3d} ({@code (q s)^3 / k^3} times the convolution's) unless
	 * it runs as the fused {@code VolsegConv3d} (the convolution's own count), and with one head the
	 * attention's output projection on the m reduced tokens instead of the n.
	 *
	 * @param fusedKernels whether the graph runs VolSeg's fused CPU kernels
	 */
	static double executed(SegFormer3dConfig c, long[] inputSize, boolean fusedKernels) {
		return count(c, inputSize, true, fusedKernels);
	}

	private static double count(SegFormer3dConfig c, long[] inputSize, boolean executed) {
		return count(c, inputSize, executed, false);
	}

	private static double count(SegFormer3dConfig c, long[] inputSize, boolean executed, boolean fusedKernels) {
		long[][] sizes = SegFormer3dNetwork.stageSizes(c, inputSize);
		double macs = 0;
		long inChannels = c.inChannels();
		for (int s = 0; s < 4; s++) {
			long n = sizes[s][0] * sizes[s][1] * sizes[s][2];
			long dim = c.embedDims()[s];
			long k = c.patchKernelSize()[s];
			double embed = (double) n * dim * inChannels * k * k * k;
			long stride = c.patchStride()[s];
			if (executed && !fusedKernels && s == 0 && stride > 1) {
				long q = (k + stride - 1) / stride;
				// a q^3 convolution of the s^3 Cin-channel blocks, per output voxel
				embed = (double) n * q * q * q * stride * stride * stride * inChannels * dim;
			}
			macs += embed;
			inChannels = dim;
			long sr = c.srRatios()[s];
			long m = sr > 1 ? (sizes[s][0] / sr) * (sizes[s][1] / sr) * (sizes[s][2] / sr) : n;
			long hidden = c.mlpRatios()[s] * dim;
			double block = 0;
			block += (double) n * dim * dim; // query
			if (sr > 1) {
				block += (double) m * dim * dim * sr * sr * sr; // spatial reduction conv
			}
			block += (double) m * dim * 2 * dim; // key_value
			block += 2.0 * n * m * dim; // q k^T and p v, all heads
			// proj; executed with one head on the m values (see SegFormer3dNetwork's singleHeadAttention)
			block += (double) (executed && c.numHeads()[s] == 1 ? m : n) * dim * dim;
			block += 2.0 * n * dim * hidden; // fc1, fc2
			block += (double) n * hidden * 27; // depthwise 3x3x3
			macs += block * c.depths()[s];
		}
		long d = c.decoderHeadEmbeddingDim();
		long n1 = sizes[0][0] * sizes[0][1] * sizes[0][2];
		for (int s = 0; s < 4; s++) {
			long n = sizes[s][0] * sizes[s][1] * sizes[s][2];
			long dim = c.embedDims()[s];
			// executed: Linear, LayerNorm and linear_fuse's block as one NormalizedProjection per stage,
			// its variance from C + 1 squares (the QR factor) where 2 (C + 1) <= d, else from d
			macs += executed ? (double) n * ((dim + 1) * d + dim * NormalizedProjection.squaresPerToken(dim, d))
					: (double) n * dim * d;
		}
		if (!executed) {
			macs += (double) n1 * 4 * d * d;
		}
		macs += (double) n1 * d * c.numClasses();
		return 2 * macs;
	}
}
