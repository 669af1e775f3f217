package org.volseg.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeprecatedSession;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;

/**
 * Probes the TensorFlow native library for GPUs: whether the CUDA build is on the class path, and
 * which GPU devices it lists. Probed once per JVM (listing devices initialises CUDA). Thread-safe.
 */
final class NativeDevices {

	private static final Logger LOG = Logger.getLogger(NativeDevices.class.getName());
	private static volatile DeviceAvailability cached;

	private NativeDevices() {
	}

	/** What this machine's TensorFlow can use (probed on first call). */
	public static DeviceAvailability probe() {
		DeviceAvailability a = cached;
		if (a == null) {
			synchronized (NativeDevices.class) {
				if (cached == null)
					cached = doProbe();
				a = cached;
			}
		}
		return a;
	}

	/** Whether the {@code tensorflow-core-native} on the class path is the CUDA build. */
	static boolean isCudaBuild() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux" : "other";
		String arch = System.getProperty("os.arch", "");
		String platform = os + "-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
		ClassLoader cl = NativeDevices.class.getClassLoader();
		return cl.getResource("org/tensorflow/internal/c_api/" + platform + "-gpu/") != null
				|| cl.getResource("org/tensorflow/internal/c_api/" + platform + "-gpu/libtensorflow_cc.so.2") != null;
	}

	private static DeviceAvailability doProbe() {
		boolean cuda = isCudaBuild();
		if (!cuda)
			return DeviceAvailability.cpuOnly();
		try {
			TensorFlow.version(); // loads the native library
			return new DeviceAvailability(true, listGpus(), null);
		} catch (RuntimeException | UnsatisfiedLinkError e) {
			LOG.log(Level.WARNING, "cannot list TensorFlow devices", e);
			return new DeviceAvailability(true, List.of(), e.getMessage());
		}
	}

	private static List<String> listGpus() {
		List<String> gpus = new ArrayList<>();
		TF_Status status = TF_Status.newStatus();
		TF_SessionOptions opts = tensorflow.TF_NewSessionOptions();
		TF_DeprecatedSession session = null;
		TF_DeviceList list = null;
		try {
			session = tensorflow.TF_NewDeprecatedSession(opts, status);
			status.throwExceptionIfNotOK();
			list = tensorflow.TF_DeprecatedSessionListDevices(session, status);
			status.throwExceptionIfNotOK();
			int n = tensorflow.TF_DeviceListCount(list);
			for (int i = 0; i < n; i++) {
				String type = tensorflow.TF_DeviceListType(list, i, status).getString();
				String name = tensorflow.TF_DeviceListName(list, i, status).getString();
				if ("GPU".equalsIgnoreCase(type))
					gpus.add(name);
			}
			return gpus;
		} finally {
			if (list != null)
				tensorflow.TF_DeleteDeviceList(list);
			if (session != null) {
				tensorflow.TF_CloseDeprecatedSession(session, status);
				tensorflow.TF_DeleteDeprecatedSession(session, status);
			}
			tensorflow.TF_DeleteSessionOptions(opts);
			status.close();
		}
	}
}
