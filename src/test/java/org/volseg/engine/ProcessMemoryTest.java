package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

	@Test
	void parsesVmRss() {
		assertEquals(590212, ProcessMemory.parseVmRss(List.of("Name:\tjava", "VmPeak:\t 9000000 kB",
				"VmRSS:\t  590212 kB", "RssAnon:\t  1 kB")));
		assertEquals(-1, ProcessMemory.parseVmRss(List.of("Name:\tjava")));
	}

	@Test
	void readsThisProcessOnLinux() {
		if (System.getProperty("os.name").startsWith("Linux"))
			assertTrue(ProcessMemory.residentKiB() > 10_000, "a JVM uses more than 10 MB");
	}
}
