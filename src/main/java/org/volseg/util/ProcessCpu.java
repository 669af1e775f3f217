package org.volseg.util;

import java.lang.management.ManagementFactory;

/** The JVM process's CPU time, for benchmarks. */
public final class ProcessCpu {

	private ProcessCpu() {}

	/**
	 * CPU seconds of the whole process so far: every thread, Java and native (TensorFlow's, the
	 * garbage collector's, the JIT's); NaN where the JVM cannot tell. The clock may be coarse (a few
	 * milliseconds): time enough work to see it move.
	 */
	public static double seconds() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			long ns = os.getProcessCpuTime();
			return ns < 0 ? Double.NaN : ns * 1e-9;
		}
		return Double.NaN;
	}
}
