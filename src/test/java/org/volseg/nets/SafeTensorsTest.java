package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

	@TempDir
	Path dir;

	@Test
	void readsReferenceFixture() {
		SafeTensors f = SafeTensors.read(ParityFixtures.path("unetr_small_conv.safetensors"));
		assertEquals("UNETR", f.metadata().get("architecture"));
		assertArrayEquals(new long[] { 1, 1, 32, 32, 32 }, f.tensors().get("input").shape());
		assertArrayEquals(new long[] { 96, 1, 16, 16, 16 }, f.tensors().get("model.vit.patch_embedding.patch_embeddings.weight").shape());
		assertEquals("F32", f.dtype("input"));
	}

	@Test
	void writesWhatItReads() {
		Map<String, FloatTensor> t = new LinkedHashMap<>();
		t.put("a", new FloatTensor(new long[] { 2, 3 }, new float[] { 1, 2, 3, 4, 5, -6.5f }));
		t.put("scalar", new FloatTensor(new long[0], new float[] { 7 }));
		t.put("empty", new FloatTensor(new long[] { 0, 4 }, new float[0]));
		Path file = dir.resolve("x.safetensors");
		SafeTensors.write(file, t, Map.of("config", "{\"a\": [1, 2]}"));
		SafeTensors back = SafeTensors.read(file);
		assertEquals("{\"a\": [1, 2]}", back.metadata().get("config"));
		assertEquals(Arrays.asList("a", "scalar", "empty"), Arrays.asList(back.tensors().keySet().toArray()));
		assertArrayEquals(t.get("a").data(), back.tensors().get("a").data());
		assertArrayEquals(new long[] { 2, 3 }, back.tensors().get("a").shape());
		assertEquals(7f, back.tensors().get("scalar").data()[0]);
		assertEquals(0, back.tensors().get("empty").data().length);
	}

	@Test
	void decodesOtherDtypes() throws Exception {
		// F16 1.5 = 0x3e00, -2 = 0xc000; BF16 3.0 = 0x4040; I64 -5; F64 0.25
		ByteBuffer data = ByteBuffer.allocate(4 + 2 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
		data.putShort((short) 0x3e00).putShort((short) 0xc000).putShort((short) 0x4040).putLong(-5).putDouble(0.25);
		String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
				+ "\"b\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[4,6]},"
				+ "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[6,14]},"
				+ "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[14,22]}}";
		Path file = write(header, data.array());
		SafeTensors f = SafeTensors.read(file);
		assertArrayEquals(new float[] { 1.5f, -2f }, f.tensors().get("h").data());
		assertEquals(3f, f.tensors().get("b").data()[0]);
		assertEquals(-5f, f.tensors().get("n").data()[0]);
		assertEquals("I64", f.dtype("n"));
		assertEquals(0.25f, f.tensors().get("d").data()[0]);
	}

	@Test
	void refusesTruncatedFileNamingIt() throws Exception {
		Path good = dir.resolve("good.safetensors");
		SafeTensors.write(good, Map.of("w", FloatTensor.zeros(10, 10)), Map.of());
		byte[] bytes = Files.readAllBytes(good);
		Path cut = dir.resolve("cut.safetensors");
		Files.write(cut, Arrays.copyOf(bytes, bytes.length - 40));
		TensorFileException ex = assertThrows(TensorFileException.class, () -> SafeTensors.read(cut));
		assertTrue(ex.getMessage().contains("cut.safetensors") && ex.getMessage().contains("truncated"), ex.getMessage());
	}

	@Test
	void refusesGarbage() throws Exception {
		Path notJson = write("{\"w\": {\"dtype\": \"F32\", ", new byte[0]);
		assertTrue(assertThrows(TensorFileException.class, () -> SafeTensors.read(notJson)).getMessage().contains("JSON"));
		Path tiny = dir.resolve("tiny.safetensors");
		Files.write(tiny, new byte[] { 1, 2, 3 });
		assertThrows(TensorFileException.class, () -> SafeTensors.read(tiny));
		Path hugeHeader = dir.resolve("huge.safetensors");
		Files.write(hugeHeader, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
		assertTrue(assertThrows(TensorFileException.class, () -> SafeTensors.read(hugeHeader)).getMessage().contains("header length"));
		Path badSpan = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
		assertTrue(assertThrows(TensorFileException.class, () -> SafeTensors.read(badSpan)).getMessage().contains("\"w\""));
		Path badDtype = write("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
		assertTrue(assertThrows(TensorFileException.class, () -> SafeTensors.read(badDtype)).getMessage().contains("C64"));
		Path missing = dir.resolve("absent.safetensors");
		assertTrue(assertThrows(TensorFileException.class, () -> SafeTensors.read(missing)).getMessage().contains("absent.safetensors"));
	}

	private Path write(String header, byte[] data) throws Exception {
		byte[] h = header.getBytes(StandardCharsets.UTF_8);
		ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.putLong(h.length).put(h).put(data);
		Path file = Files.createTempFile(dir, "t", ".safetensors");
		Files.write(file, b.array());
		return file;
	}
}
