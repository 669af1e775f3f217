package org.volseg.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.volseg.VolSegException;
import org.volseg.nets.Layers;

/**
 * Copies trained values from a model package's SavedModel into a {@link TrainingGraph} (fine-tuning).
 * Variables are matched by name (the PyTorch state_dict key, as {@link Layers} names them); a
 * variable whose shape differs (for example the output layer when the number of classes changed)
 * keeps its fresh random value and is reported. Stateless.
 */
final class InitialWeights {

	private InitialWeights() {
	}

	/** What was copied. */
	record Outcome(int copied, List<String> reinitialised) {
	}

	static Outcome copyFromSavedModel(Path savedModelDir, TrainingGraph target) {
		List<String> reinitialised = new ArrayList<>();
		int copied = 0;
		try (SavedModelBundle bundle = SavedModelBundle.load(savedModelDir.toString(), "serve")) {
			for (Layers.VariableParameter p : target.variables()) {
				String name = Layers.opName(p.key());
				GraphOperation op = bundle.graph().operation(name);
				if (op == null) {
					reinitialised.add(p.key() + " (not in the package)");
					continue;
				}
				try (Result r = bundle.session().runner().fetch(name).run()) {
					Tensor t = r.get(0);
					long[] have = t.shape().asArray();
					long[] want = p.variable().shape().asArray();
					if (!Arrays.equals(have, want)) {
						reinitialised.add(p.key() + " (package " + Arrays.toString(have) + ", network " + Arrays.toString(want) + ")");
						continue;
					}
					target.assign(p, t);
					copied++;
				}
			}
		} catch (org.tensorflow.exceptions.TensorFlowException ex) {
			throw new VolSegException(savedModelDir + ": cannot read the model's variables: " + ex.getMessage()
					+ "; give a VolSeg model package whose SavedModel stores weights as variables (volseg convert / volseg train)", ex);
		}
		if (copied == 0) {
			throw new VolSegException(savedModelDir + ": none of the network's " + target.variables().size()
					+ " parameters is stored in this SavedModel; give a package written by volseg convert or volseg train");
		}
		return new Outcome(copied, reinitialised);
	}
}
