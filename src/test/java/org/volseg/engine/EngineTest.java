package org.volseg.engine;

import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.model.Axis;
import org.volseg.model.AxisSize;
import org.volseg.model.DescriptorWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.model.ModelPackageException;
import org.volseg.model.TensorDescriptor;

class EngineTest {

	@TempDir
	Path tmp;

	@Test
	void convolutionWithBiasMatchesPlainJava() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 11);
		Path pkg = net.export(tmp.resolve("conv"), 8, 6, 5, true, true);
		try (ModelPackage p = ModelPackage.open(pkg); Engine e = Engine.load(p, EngineOptions.cpu().withThreads(1, 1))) {
			assertEquals(1, e.inputChannels());
			assertEquals(2, e.outputChannels());
			assertEquals(Device.CPU, e.info().device());
			assertEquals(1, e.info().intraOpThreads());
			assertArrayEquals(new long[] { -1, 8, 6, 5, 1 }, e.info().inputShape());
			float[] in = TestNetworks.randomInput(3 * 8 * 6 * 5, 5);
			float[] out = e.predict(in, 3, new int[] { 8, 6, 5 });
			assertArrayEquals(net.reference(in, 3, 8, 6, 5), out, 1e-4f);
			// a second batch through the same engine, different size
			float[] in1 = TestNetworks.randomInput(8 * 6 * 5, 6);
			assertArrayEquals(net.reference(in1, 1, 8, 6, 5), e.predict(in1, 1, new int[] { 8, 6, 5 }), 1e-4f);
		}
	}

	/** The output goes into the caller's array when it has the output's length, and into a new one otherwise. */
	@Test
	void outputIsWrittenIntoAReusedArrayOfTheRightLength() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 11);
		Path pkg = net.export(tmp.resolve("conv"), 8, 6, 5, true, true);
		try (ModelPackage p = ModelPackage.open(pkg); Engine e = Engine.load(p, EngineOptions.cpu().withThreads(1, 1))) {
			int[] size = { 8, 6, 5 };
			float[] reuse = new float[2 * 8 * 6 * 5 * 2];
			java.util.Arrays.fill(reuse, Float.NaN);
			float[] in = TestNetworks.randomInput(2 * 8 * 6 * 5, 5);
			org.junit.jupiter.api.Assertions.assertSame(reuse, e.predict(in, 2, size, reuse));
			assertArrayEquals(net.reference(in, 2, 8, 6, 5), reuse, 1e-4f);
			float[] in1 = TestNetworks.randomInput(8 * 6 * 5, 6);
			float[] one = e.predict(in1, 1, size, reuse); // a shorter last batch: a new array, the old one untouched
			org.junit.jupiter.api.Assertions.assertNotSame(reuse, one);
			assertArrayEquals(net.reference(in1, 1, 8, 6, 5), one, 1e-4f);
			assertArrayEquals(net.reference(in, 2, 8, 6, 5), reuse, 1e-4f);
		}
	}

	@Test
	void multiChannelInputFreePatchSizeAndAutoDeviceOnACpuMachine() throws Exception {
		TestNetworks net = new TestNetworks(2, 3, 12);
		Path pkg = net.export(tmp.resolve("conv2"), 4, 4, 4, false, false);
		try (ModelPackage p = ModelPackage.open(pkg);
				Engine e = Engine.load(p, EngineOptions.defaults(), DeviceAvailability.cpuOnly())) {
			assertEquals(Device.CPU, e.info().device());
			assertTrue(e.info().deviceReason().startsWith("auto:"), e.info().deviceReason());
			float[] in = TestNetworks.randomInput(2 * 7 * 5 * 3 * 2, 8);
			float[] out = e.predict(in, 2, new int[] { 7, 5, 3 });
			assertArrayEquals(net.reference(in, 2, 7, 5, 3), out, 1e-4f);
		}
	}

	@Test
	void channelsFirstModelIsTransposedInNativeCode() throws Exception {
		TestNetworks net = new TestNetworks(2, 2, 13);
		Path pkg = tmp.resolve("cf");
		// the model takes [batch, channel, z, y, x] and returns [batch, channel, z, y, x]
		ModelDescriptor std = net.descriptor(5, 4, 3, true);
		List<Axis> inAxes = List.of(Axis.batch(), Axis.channel(List.of("a", "b")),
				Axis.space("z", new AxisSize.Fixed(3)), Axis.space("y", new AxisSize.Fixed(4)),
				Axis.space("x", new AxisSize.Fixed(5)));
		List<Axis> outAxes = List.of(Axis.batch(), Axis.channel(List.of("class0", "class1")),
				Axis.space("z", new AxisSize.Reference("input", "z", 0)),
				Axis.space("y", new AxisSize.Reference("input", "y", 0)),
				Axis.space("x", new AxisSize.Reference("input", "x", 0)));
		ModelDescriptor d = new ModelDescriptor(std.formatVersion(), "channels first", "", std.authors(), "MIT",
				List.of(new TensorDescriptor("input", "", inAxes, "float32", List.of())),
				List.of(new TensorDescriptor("output", "", outAxes, "float32", List.of())), std.weights(), std.volseg());
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 3, 4, 5)));
			Operand<TFloat32> standard = tf.linalg.transpose(in, tf.constant(new int[] { 0, 4, 3, 2, 1 }));
			Operand<TFloat32> y = net.build(tf, standard, false);
			Operand<TFloat32> out = tf.linalg.transpose(y, tf.constant(new int[] { 0, 4, 3, 2, 1 }));
			ModelPackageWriter.write(d, s, in, out, pkg, false);
		}
		try (ModelPackage p = ModelPackage.open(pkg); Engine e = Engine.load(p, EngineOptions.cpu())) {
			float[] in = TestNetworks.randomInput(2 * 5 * 4 * 3 * 2, 9);
			assertArrayEquals(net.reference(in, 2, 5, 4, 3), e.predict(in, 2, new int[] { 5, 4, 3 }), 1e-4f);
		}
	}

	@Test
	void channelCountContradictingTheSignatureNamesBoth() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 14);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		Path rdf = pkg.resolve("rdf.yaml");
		Files.writeString(rdf, Files.readString(rdf).replace("[channel0]", "[ct, pet, mr]"));
		try (ModelPackage p = ModelPackage.open(pkg)) {
			ModelPackageException ex = assertThrows(ModelPackageException.class, () -> Engine.load(p, EngineOptions.cpu()));
			assertEquals(List.of("inputs[0].axes[4]: declares 3 channels but the SavedModel's input \"input\" has 1 on "
					+ "that axis (shape [?, 4, 4, 4, 1])"), ex.problems());
		}
	}

	@Test
	void rankContradictingTheSignatureNamesBoth() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 15);
		Path pkg = Files.createDirectories(tmp.resolve("rank"));
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
			Operand<TFloat32> out = tf.math.mul(in, tf.constant(2f));
			SavedModelExport.export(s, in, "input", out, "output", pkg.resolve("saved_model"));
		}
		DescriptorWriter.write(net.descriptor(4, 4, 4, true), pkg.resolve("rdf.yaml"));
		try (ModelPackage p = ModelPackage.open(pkg)) {
			ModelPackageException ex = assertThrows(ModelPackageException.class, () -> Engine.load(p, EngineOptions.cpu()));
			assertEquals(2, ex.problems().size(), ex.getMessage());
			assertEquals("inputs[0].axes: declares 5 axes [batch, x, y, z, channel] but the SavedModel's input "
					+ "\"input\" has rank 4 (shape [?, 4, 4, 1])", ex.problems().get(0));
			assertTrue(ex.problems().get(1).startsWith("outputs[0].axes: declares 5 axes"), ex.problems().get(1));
		}
	}

	@Test
	void signatureNameMismatchListsTheSignaturesNames() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 16);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		Path rdf = pkg.resolve("rdf.yaml");
		Files.writeString(rdf, Files.readString(rdf).replace("id: input", "id: image")
				.replace("tensor_id: input", "tensor_id: image"));
		try (ModelPackage p = ModelPackage.open(pkg)) {
			ModelPackageException ex = assertThrows(ModelPackageException.class, () -> Engine.load(p, EngineOptions.cpu()));
			assertTrue(ex.getMessage().contains("inputs[0].id: \"image\" is not an input of the SavedModel's signature "
					+ "\"serving_default\" (its inputs: input)"), ex.getMessage());
		}
	}

	@Test
	void installerWithEngineVerificationRefusesAContradictingPackage() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 20);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		Path models = tmp.resolve("models");
		Path installed = org.volseg.model.ModelInstaller.install(pkg, models, false, Engine::verify);
		try (Engine e = Engine.load(installed, EngineOptions.cpu())) {
			float[] in = TestNetworks.randomInput(64, 2);
			assertArrayEquals(net.reference(in, 1, 4, 4, 4), e.predict(in, 1, new int[] { 4, 4, 4 }), 1e-4f);
		}
		Path rdf = pkg.resolve("rdf.yaml");
		Files.writeString(rdf, Files.readString(rdf).replace("[channel0]", "[a, b]").replace("name: conv3d", "name: other"));
		assertThrows(ModelPackageException.class, () -> org.volseg.model.ModelInstaller.install(pkg, models, false,
				Engine::verify));
		try (var s = Files.list(models)) {
			assertEquals(1, s.count(), "the refused package was not installed");
		}
	}

	@Test
	void corruptSavedModelIsAClearError() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 17);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		Files.write(pkg.resolve("saved_model/saved_model.pb"), new byte[] { 1, 2, 3, 4, 5 });
		try (ModelPackage p = ModelPackage.open(pkg)) {
			EngineException ex = assertThrows(EngineException.class, () -> Engine.load(p, EngineOptions.cpu()));
			assertTrue(ex.getMessage().contains("TensorFlow cannot load the SavedModel"), ex.getMessage());
		}
	}

	@Test
	void gpuRequestedWithoutGpuIsAClearError() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 18);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		try (ModelPackage p = ModelPackage.open(pkg)) {
			EngineException ex = assertThrows(EngineException.class,
					() -> Engine.load(p, EngineOptions.defaults().withDevice(Device.GPU), DeviceAvailability.cpuOnly()));
			assertTrue(ex.getMessage().startsWith("--device gpu: this installation has TensorFlow's CPU-only"),
					ex.getMessage());
		}
	}

	@Test
	void wrongPatchSizeOrClosedEngineIsRefused() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 19);
		Path pkg = net.export(tmp.resolve("conv"), 4, 4, 4, true, false);
		Engine e;
		try (ModelPackage p = ModelPackage.open(pkg)) {
			e = Engine.load(p, EngineOptions.cpu());
		}
		try (e) {
			EngineException ex = assertThrows(EngineException.class, () -> e.predict(new float[5 * 4 * 4], 1,
					new int[] { 5, 4, 4 }));
			assertTrue(ex.getMessage().contains("patch size [5, 4, 4] does not fit"), ex.getMessage());
			assertThrows(IllegalArgumentException.class, () -> e.predict(new float[10], 1, new int[] { 4, 4, 4 }));
		}
		e.close();
		assertThrows(IllegalStateException.class, () -> e.predict(new float[64], 1, new int[] { 4, 4, 4 }));
	}
}
