package org.volseg.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.volseg.engine.kernels.FusedKernelRewrite;
import org.volseg.engine.kernels.FusedKernels;
import org.volseg.util.AtomicFiles;

/**
 * A model package's SavedModel with VolSeg's fused CPU kernels in place of the subgraphs it marks
 * as fusable ({@link FusedKernelRewrite}), for TensorFlow to load: a temporary folder holding the
 * rewritten {@code saved_model.pb} and symbolic links to the package's other entries
 * ({@code variables/}, {@code assets/}). The package itself is never written. {@link #close()}
 * deletes the folder and the links (not what they point to); TensorFlow has read the variables by
 * then. Not thread-safe.
 */
final class FusedSavedModel implements AutoCloseable {

	private static final String GRAPH_FILE = "saved_model.pb";
	private static final byte[] MARK = FusedKernels.MARK_PREFIX.getBytes(StandardCharsets.US_ASCII);

	private final Path dir;
	private final int fused;

	private FusedSavedModel(Path dir, int fused) {
		this.dir = dir;
		this.fused = fused;
	}

	/**
	 * The fused form of a SavedModel, or empty when its graph marks nothing (most models: the file
	 * is only scanned for the mark's name) or the kernels are not {@link FusedKernels#available()}.
	 *
	 * @param savedModelDir the package's SavedModel folder (read only)
	 * @param threads threads each fused op uses (the session's intra-op count)
	 * @throws IOException if the SavedModel cannot be read or the temporary folder written
	 */
	static Optional<FusedSavedModel> prepare(Path savedModelDir, int threads) throws IOException {
		byte[] bytes = Files.readAllBytes(savedModelDir.resolve(GRAPH_FILE));
		if (!contains(bytes, MARK) || !FusedKernels.available())
			return Optional.empty();
		SavedModel model = SavedModel.parseFrom(bytes);
		SavedModel.Builder rewritten = model.toBuilder();
		int fused = 0;
		for (int i = 0; i < model.getMetaGraphsCount(); i++) {
			MetaGraphDef meta = model.getMetaGraphs(i);
			FusedKernelRewrite.Result r = FusedKernelRewrite.fuse(meta.getGraphDef(), threads);
			if (r.fused() > 0) {
				rewritten.setMetaGraphs(i, meta.toBuilder().setGraphDef(r.graph()));
				fused += r.fused();
			}
		}
		if (fused == 0)
			return Optional.empty();
		Path dir = Files.createTempDirectory("volseg-fused-");
		try {
			Files.write(dir.resolve(GRAPH_FILE), rewritten.build().toByteArray());
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(savedModelDir)) {
				for (Path e : entries)
					if (!e.getFileName().toString().equals(GRAPH_FILE))
						Files.createSymbolicLink(dir.resolve(e.getFileName().toString()), e.toAbsolutePath());
			}
			return Optional.of(new FusedSavedModel(dir, fused));
		} catch (IOException | RuntimeException e) {
			delete(dir);
			throw e;
		}
	}

	/** The folder to load instead of the package's SavedModel. */
	Path dir() {
		return dir;
	}

	/** How many marked subgraphs run as fused ops. */
	int fused() {
		return fused;
	}

	@Override
	public void close() {
		delete(dir);
	}

	/** Deletes the folder; its symbolic links are deleted, never followed. */
	private static void delete(Path dir) {
		try {
			AtomicFiles.deleteRecursively(dir);
		} catch (IOException e) {
			dir.toFile().deleteOnExit();
		}
	}

	private static boolean contains(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++)
				if (haystack[i + j] != needle[j])
					continue outer;
			return true;
		}
		return false;
	}
}
