package org.volseg.io.dicom;

/**
 * sRGB colours as DICOM's scaled CIELab triplets (PS3.3 C.10.7.1.1: L* 0..100 and a*, b* -128..127
 * mapped linearly onto 0..65535), through CIE XYZ with the D65 white point; and back.
 */
final class CieLab {

	private static final double XN = 0.95047, YN = 1.0, ZN = 1.08883;

	private CieLab() {
	}

	/** {@code 0xRRGGBB} to scaled (L, a, b). */
	static int[] ofRgb(int rgb) {
		double r = linear(((rgb >> 16) & 0xFF) / 255.0), g = linear(((rgb >> 8) & 0xFF) / 255.0), b = linear((rgb & 0xFF) / 255.0);
		double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
		double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
		double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
		double fx = f(x / XN), fy = f(y / YN), fz = f(z / ZN);
		double l = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
		return new int[] { scale(l / 100), scale((a + 128) / 255), scale((bb + 128) / 255) };
	}

	/** Scaled (L, a, b) to {@code 0xRRGGBB}. */
	static int toRgb(int[] lab) {
		double l = lab[0] / 65535.0 * 100, a = lab[1] / 65535.0 * 255 - 128, b = lab[2] / 65535.0 * 255 - 128;
		double fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
		double x = XN * finv(fx), y = YN * finv(fy), z = ZN * finv(fz);
		double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
		double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
		double bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
		return (byte8(gamma(r)) << 16) | (byte8(gamma(g)) << 8) | byte8(gamma(bl));
	}

	private static double linear(double c) {
		return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
	}

	private static double gamma(double c) {
		return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
	}

	private static double f(double t) {
		return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
	}

	private static double finv(double t) {
		return t * t * t > 216.0 / 24389 ? t * t * t : (116 * t - 16) / (24389.0 / 27);
	}

	private static int scale(double unit) {
		return (int) Math.max(0, Math.min(65535, Math.round(unit * 65535)));
	}

	private static int byte8(double unit) {
		return (int) Math.max(0, Math.min(255, Math.round(unit * 255)));
	}
}
