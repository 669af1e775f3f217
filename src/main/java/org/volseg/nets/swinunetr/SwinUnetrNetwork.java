package org.volseg.nets.swinunetr;

import org.volseg.nets.ConfiguredNetwork;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.nets.Layers;
import org.volseg.nets.blocks.UnetrBlocks;

/**
 * The SwinUNETR forward pass (eval mode) for one {@link SwinUnetrConfig}, following MONAI's
 * module tree so that every parameter has its MONAI state_dict key: {@code swinViT.*} (the Swin
 * encoder, see {@link SwinEncoder}), {@code encoder1..4}, {@code encoder10},
 * {@code decoder5..1}, {@code out}. The graph is built for the input size {@code img_size}.
 */
final class SwinUnetrNetwork extends ConfiguredNetwork {

	private final SwinUnetrConfig c;

	SwinUnetrNetwork(SwinUnetrConfig config) {
		super(SwinUnetr.NAME, config.resolved, config.inChannels, config.outChannels);
		this.c = config;
	}

	@Override
	public long[] inputSpatialShape() {
		return new long[] { c.imgSize[0], c.imgSize[1], c.imgSize[2] };
	}

	@Override
	public List<String> unusedKeyPatterns() {
		return List.of();
	}

	@Override
	public Operand<TFloat32> build(Layers l, Operand<TFloat32> input) {
		List<Operand<TFloat32>> hidden = new SwinEncoder(l, c).hiddenStates(input);
		UnetrBlocks b = new UnetrBlocks(l, c.norm);
		int fs = c.featureSize;
		Operand<TFloat32> enc0 = b.unetrBasicBlock("encoder1", input, fs, 3, 1, true);
		Operand<TFloat32> enc1 = b.unetrBasicBlock("encoder2", hidden.get(0), fs, 3, 1, true);
		Operand<TFloat32> enc2 = b.unetrBasicBlock("encoder3", hidden.get(1), 2 * fs, 3, 1, true);
		Operand<TFloat32> enc3 = b.unetrBasicBlock("encoder4", hidden.get(2), 4 * fs, 3, 1, true);
		Operand<TFloat32> dec4 = b.unetrBasicBlock("encoder10", hidden.get(4), 16 * fs, 3, 1, true);
		Operand<TFloat32> dec3 = b.upBlock("decoder5", dec4, hidden.get(3), 8 * fs, 3, 2, true);
		Operand<TFloat32> dec2 = b.upBlock("decoder4", dec3, enc3, 4 * fs, 3, 2, true);
		Operand<TFloat32> dec1 = b.upBlock("decoder3", dec2, enc2, 2 * fs, 3, 2, true);
		Operand<TFloat32> dec0 = b.upBlock("decoder2", dec1, enc1, fs, 3, 2, true);
		Operand<TFloat32> out = b.upBlock("decoder1", dec0, enc0, fs, 3, 2, true);
		return b.outBlock("out", out, c.outChannels);
	}
}
