package org.volseg.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nets.StateDict;

/**
 * Checkpoints that must be refused with a clear message, executing nothing and allocating
 * nothing a tiny file could not hold. The files are in {@code src/test/resources/weights/torch}
 * (see its README for how each was made).
 */
class HostileCheckpointTest {

	private static final Path MARKER = Path.of("/tmp/volseg_pickle_was_executed");

	private static <T extends Throwable> String refused(Class<T> type, String name) {
		Path f = TorchCheckpointTest.file(name);
		String message = assertThrows(type, () -> StateDict.read(f)).getMessage();
		assertTrue(message.startsWith(f.toString() + ": "), "names the file: " + message);
		return message;
	}

	@Test
	void reduceCallingOsSystemIsRefusedByName() {
		boolean existedBefore = Files.exists(MARKER);
		String m = refused(UnsafePickleException.class, "evil_os_system.pt");
		// pickle writes os.system as posix.system on Linux: the message names what the file says
		assertTrue(m.contains("refusing pickle global 'posix.system'"), m);
		assertTrue(m.contains("evil_os_system/data.pkl"), m);
		if (!existedBefore) assertFalse(Files.exists(MARKER), "nothing was executed");
	}

	@Test
	void builtinsEvalIsRefusedByName() {
		String m = refused(UnsafePickleException.class, "evil_eval.pt");
		assertTrue(m.contains("refusing pickle global 'builtins.eval' (offset 2)"), m);
	}

	@Test
	void unknownOpcodeIsRefusedWithItsValueAndOffset() {
		String m = refused(UnsafePickleException.class, "evil_inst.pt");
		assertTrue(m.contains("unknown or unsupported pickle opcode 0x69 ('i') at offset 10"), m);
	}

	@Test
	void missingStorageEntry() {
		String m = refused(CheckpointException.class, "missing_storage.pt");
		assertTrue(m.contains("storage 0 is missing: no zip entry archive/data/0"), m);
	}

	@Test
	void unknownStorageTypes() {
		String m = refused(CheckpointException.class, "complex_storage.pt");
		assertTrue(m.contains("storage type torch.ComplexFloatStorage is not supported"), m);
		m = refused(CheckpointException.class, "madeup_storage.pt");
		assertTrue(m.contains("storage type torch.EvilStorage is not supported"), m);
	}

	@Test
	void oversizedDeclarationsAreRefusedBeforeAllocation() {
		long before = usedHeap();
		String m = refused(CheckpointException.class, "huge_storage.pt");
		assertTrue(m.contains("storage 0 declares 1099511627776 float32 elements (4398046511104 bytes) but its entry archive/data/0 holds 16 bytes"), m);
		m = refused(CheckpointException.class, "huge_view.pt");
		assertTrue(m.contains("tensor 'w' has 4611686018427387904 elements"), m);
		m = refused(CheckpointException.class, "view_past_storage.pt");
		assertTrue(m.contains("reaches element 4 of storage 0, which has 4: the storage is too short for the view"), m);
		assertTrue(usedHeap() - before < 64L << 20, "no large allocation");
	}

	@Test
	void noDataPkl() {
		String m = refused(CheckpointException.class, "no_data_pkl.pt");
		assertTrue(m.contains("a zip archive without <folder>/data.pkl") && m.contains("archive/data/0"), m);
	}

	@Test
	void truncatedZipsAreRefused(@TempDir Path dir) throws Exception {
		byte[] whole = Files.readAllBytes(TorchCheckpointTest.file("dtypes.pt"));
		for (int length : new int[] { 10, whole.length / 2, whole.length - 30 }) {
			Path cut = dir.resolve("cut" + length + ".pt");
			Files.write(cut, Arrays.copyOf(whole, length));
			CheckpointException ex = assertThrows(CheckpointException.class, () -> StateDict.read(cut));
			assertTrue(ex.getMessage().startsWith(cut + ": not a complete zip archive"), ex.getMessage());
		}
	}

	@Test
	void truncatedPickleStream() {
		byte[] stream = { (byte) 0x80, 0x02, '}', 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a' };
		CheckpointException ex = assertThrows(CheckpointException.class,
				() -> new SafeUnpickler(stream, Path.of("x.pt"), "x/data.pkl", new TorchPickleRules(Path.of("x.pt"))).load());
		assertEquals("x.pt: x/data.pkl: not a valid pickle: needs 2147483647 more bytes, 1 left (truncated or corrupt) (offset 3)",
				ex.getMessage());
		byte[] noStop = { (byte) 0x80, 0x02, '}' };
		ex = assertThrows(CheckpointException.class,
				() -> new SafeUnpickler(noStop, Path.of("x.pt"), "x/data.pkl", new TorchPickleRules(Path.of("x.pt"))).load());
		assertTrue(ex.getMessage().contains("ends without STOP"), ex.getMessage());
	}

	private static long usedHeap() {
		Runtime rt = Runtime.getRuntime();
		return rt.totalMemory() - rt.freeMemory();
	}
}
