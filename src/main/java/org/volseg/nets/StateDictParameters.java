package org.volseg.nets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict parameter import from a {@link StateDict}: every key the network takes must be present
 * with exactly the requested shape; every key of the state dict must be taken, accepted as an
 * optional buffer, or match one of the network's unused-key patterns. {@link #finish()} reports
 * all violations together.
 */
public final class StateDictParameters implements ParameterSource {

	private final StateDict stateDict;
	private final String networkDescription;
	private final List<Pattern> unusedAllowed = new ArrayList<>();
	private final Set<String> taken = new HashSet<>();
	private final List<String> missing = new ArrayList<>();
	private final List<String> wrongShape = new ArrayList<>();
	private final List<String> ignored = new ArrayList<>();
	private long parameterCount;

	/**
	 * @param stateDict the checkpoint
	 * @param networkDescription the network as shown in messages, for example {@code "unetr {...}"}
	 * @param unusedKeyPatterns glob patterns ({@code *} matches any run of characters, dots
	 *        included) of keys that the reference's forward pass never uses and that are ignored
	 */
	public StateDictParameters(StateDict stateDict, String networkDescription, List<String> unusedKeyPatterns) {
		this.stateDict = stateDict;
		this.networkDescription = networkDescription;
		for (String glob : unusedKeyPatterns) unusedAllowed.add(globToRegex(glob));
	}

	static Pattern globToRegex(String glob) {
		StringBuilder re = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*') {
				if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
				literal.setLength(0);
				re.append(".*");
			} else {
				literal.append(c);
			}
		}
		if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
		return Pattern.compile(re.toString());
	}

	@Override
	public FloatTensor take(String key, long[] shape, Init init) {
		if (!taken.add(key)) throw new IllegalStateException("parameter " + key + " taken twice");
		FloatTensor t = stateDict.get(key);
		if (t == null) {
			missing.add(key + " " + Arrays.toString(shape));
			return FloatTensor.zeros(shape);
		}
		if (!t.hasShape(shape)) {
			wrongShape.add(key + ": expected " + Arrays.toString(shape) + ", found " + Arrays.toString(t.shape()));
			return FloatTensor.zeros(shape);
		}
		parameterCount += t.data().length;
		return t;
	}

	/** Number of values taken from the state dict so far. */
	public long parameterCount() {
		return parameterCount;
	}

	/** Keys ignored as unused by the network (matched an unused-key pattern); known after {@link #finish()}. */
	public List<String> ignoredKeys() {
		return List.copyOf(ignored);
	}

	@Override
	public void acceptIfPresent(String key) {
		taken.add(key);
	}

	@Override
	public void finish() {
		List<String> unexpected = new ArrayList<>();
		for (String key : stateDict.tensors().keySet()) {
			if (taken.contains(key)) continue;
			if (unusedAllowed.stream().anyMatch(p -> p.matcher(key).matches())) {
				ignored.add(key);
				continue;
			}
			unexpected.add(key);
		}
		if (!missing.isEmpty() || !wrongShape.isEmpty() || !unexpected.isEmpty()) {
			throw new WeightImportException(stateDict.source(), networkDescription, missing, wrongShape, unexpected);
		}
	}
}
