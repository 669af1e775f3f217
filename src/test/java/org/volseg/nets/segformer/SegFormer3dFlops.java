package org.volseg.nets.segformer;

/**
 * Floating-point operations of one SegFormer3D forward pass, counted as 2 per multiply-add of the
 * convolutions, linear layers, depthwise convolutions and attention matmuls (normalisations,
 * activations, softmax and resizing, which are memory-bound, are not counted). For reporting
 * achieved GFLOP/s in benchmarks.
 */
final class SegFormer3dFlops {

	private SegFormer3dFlops() {}

	/** FLOPs for one input volume (batch 1) of the given spatial size. */
	static double forward(SegFormer3dConfig c, long[] inputSize) {
		long[][] sizes = SegFormer3dNetwork.stageSizes(c, inputSize);
		double macs = 0;
		long inChannels = c.inChannels();
		for (int s = 0; s < 4; s++) {
			long n = sizes[s][0] * sizes[s][1] * sizes[s][2];
			long dim = c.embedDims()[s];
			long k = c.patchKernelSize()[s];
			macs += (double) n * dim * inChannels * k * k * k;
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
			block += (double) n * dim * dim; // proj
			block += 2.0 * n * dim * hidden; // fc1, fc2
			block += (double) n * hidden * 27; // depthwise 3x3x3
			macs += block * c.depths()[s];
		}
		long d = c.decoderHeadEmbeddingDim();
		long n1 = sizes[0][0] * sizes[0][1] * sizes[0][2];
		for (int s = 0; s < 4; s++) {
			macs += (double) sizes[s][0] * sizes[s][1] * sizes[s][2] * c.embedDims()[s] * d;
		}
		macs += (double) n1 * 4 * d * d + (double) n1 * d * c.numClasses();
		return 2 * macs;
	}
}
