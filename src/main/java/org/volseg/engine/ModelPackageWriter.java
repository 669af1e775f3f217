package org.volseg.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.volseg.util.AtomicFiles;
import org.volseg.model.DescriptorValidator;
import org.volseg.model.DescriptorWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;

/**
 * Writes a complete model package folder: the SavedModel of a session's graph (in the folder the
 * descriptor's {@code weights.tensorflow_saved_model_bundle.source} names) and {@code rdf.yaml}.
 * The package is assembled in a temporary folder next to the target and renamed into place, so a
 * reader never sees half a package.
 *
 * <p>Typical use by a network builder:</p>
 * <pre>{@code
 * try (Graph g = new Graph(); Session s = new Session(g)) {
 *     Ops tf = Ops.create(g);
 *     Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 96, 96, 96, 1)));
 *     Operand<TFloat32> logits = buildNetwork(tf, in);
 *     s.initialize();
 *     ModelPackageWriter.write(descriptor, s, in, logits, Path.of("models/my-unetr"), false);
 * }
 * }</pre>
 * Stateless; the caller keeps owning the session.
 */
public final class ModelPackageWriter {

	private ModelPackageWriter() {
	}

	/**
	 * Validates the descriptor, checks the operands' static shapes against it, then writes the package.
	 *
	 * @param descriptor the package description; its {@code inputs[0].id} and {@code outputs[0].id}
	 *        become the signature's names
	 * @param session holds the graph, variables initialised; not closed
	 * @param input the input placeholder, shaped as {@code descriptor.input()} declares
	 * @param output the network output, shaped as {@code descriptor.output()} declares
	 * @param packageDir the package folder to create
	 * @param replace whether to replace an existing package folder (else it is an error)
	 * @return {@code packageDir}
	 * @throws org.volseg.model.ModelPackageException if the descriptor is invalid
	 * @throws EngineException if the operands' shapes contradict the descriptor
	 * @throws IOException if writing fails (nothing is left at {@code packageDir} then, or the old package)
	 */
	public static Path write(ModelDescriptor descriptor, Session session, Operand<?> input, Operand<?> output,
			Path packageDir, boolean replace) throws IOException {
		DescriptorValidator.requireValid(descriptor, packageDir.resolve(ModelPackage.DESCRIPTOR_FILE).toString());
		SignatureCheck.check(descriptor, packageDir.toString(),
				SignatureCheck.TensorInfo.of(descriptor.input().id(), input),
				SignatureCheck.TensorInfo.of(descriptor.output().id(), output));
		if (Files.exists(packageDir) && !replace)
			throw new java.nio.file.FileAlreadyExistsException(packageDir.toString(), null,
					"a model package exists there; choose another folder or replace it");
		Path tmp = AtomicFiles.tempFolderNextTo(packageDir);
		try {
			SavedModelExport.export(session, input, descriptor.input().id(), output, descriptor.output().id(),
					tmp.resolve(descriptor.weights().source()));
			DescriptorWriter.write(descriptor, tmp.resolve(ModelPackage.DESCRIPTOR_FILE));
			AtomicFiles.moveFolder(tmp, packageDir, replace);
		} finally {
			AtomicFiles.deleteRecursively(tmp);
		}
		return packageDir;
	}
}
