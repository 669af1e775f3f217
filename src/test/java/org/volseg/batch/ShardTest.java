package org.volseg.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;

class ShardTest {

	@Test
	void shardsPartitionAnyListInRoundRobin() {
		for (int n = 1; n <= 5; n++)
			for (int size = 0; size <= 11; size++) {
				List<Integer> items = IntStream.range(0, size).boxed().collect(Collectors.toList());
				List<Integer> seen = new ArrayList<>();
				for (int k = 1; k <= n; k++) {
					List<Integer> mine = new Shard(k, n).select(items);
					assertTrue(mine.size() >= size / n && mine.size() <= size / n + 1, "balanced");
					seen.addAll(mine);
				}
				seen.sort(null);
				assertEquals(items, seen, "every item exactly once for N=" + n + ", size " + size);
			}
		assertEquals(List.of(1, 4, 7), new Shard(2, 3).select(List.of(0, 1, 2, 3, 4, 5, 6, 7)));
	}

	@Test
	void parsesAndValidatesKOverN() {
		assertEquals(new Shard(3, 8), Shard.parse(" 3 / 8 "));
		assertEquals("summary-shard-3-of-8.csv", Shard.parse("3/8").summaryFileName());
		assertEquals("summary.csv", Shard.parse("1/1").summaryFileName());
		assertFalse(Shard.parse("1/2").isAll());
		for (String bad : new String[] { "0/4", "5/4", "1/0", "-1/3", "3", "a/b", "1/2/3", "", "99999999999/2" }) {
			InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Shard.parse(bad), bad);
			assertTrue(e.getMessage().startsWith("--shard: expected K/N with 1 <= K <= N"), e.getMessage());
			assertTrue(e.getMessage().contains("SLURM_ARRAY_TASK_ID"), e.getMessage());
		}
	}
}
