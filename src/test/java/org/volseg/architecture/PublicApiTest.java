package org.volseg.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The public types of the library are the documented API and what other packages need, nothing
 * more: every public top-level type of {@code src/main/java} is named in {@code docs/api.md}, or is
 * named by a class (main or test) of another package, or is an entry point found by reflection (a
 * {@code META-INF/services} implementation, a SciJava {@code @Plugin}, a picocli {@code @Command}).
 * A type that fails this is internal: make it package-private (or document it). Every type
 * docs/api.md names must exist and be public. The rule is also run on
 * {@code org.volseg.architecture.violations.api}, which breaks it on purpose.
 */
class PublicApiTest {

	private static final Pattern DOCUMENTED = Pattern.compile("`(org\\.volseg\\.[\\w.]+)`");

	private static JavaClasses all;
	private static Set<String> documented;
	private static Set<String> services;

	@BeforeAll
	static void read() throws IOException {
		all = new ClassFileImporter().importPackages("org.volseg");
		documented = new TreeSet<>();
		Matcher m = DOCUMENTED.matcher(Files.readString(Path.of("docs/api.md"), StandardCharsets.UTF_8));
		while (m.find())
			documented.add(m.group(1));
		services = new TreeSet<>();
		try (var files = Files.list(Path.of("src/main/resources/META-INF/services"))) {
			for (Path f : files.toList())
				for (String line : Files.readAllLines(f, StandardCharsets.UTF_8))
					if (!line.isBlank() && !line.startsWith("#"))
						services.add(line.trim());
		}
	}

	/** Public top-level types of {@code root} (and its sub-packages) that nothing justifies. */
	static Set<String> unjustifiedPublicTypes(String root, boolean mainOnly) {
		Set<String> out = new TreeSet<>();
		for (JavaClass c : all) {
			if (!c.getPackageName().startsWith(root) || c.isNestedClass() || c.isAnonymousClass() || c.isLocalClass()
					|| !c.getModifiers().contains(JavaModifier.PUBLIC) || c.getSimpleName().equals("package-info"))
				continue;
			if (mainOnly && !isMain(c))
				continue;
			if (documented.contains(c.getName()) || services.contains(c.getName()) || reflective(c) || usedFromAnotherPackage(c))
				continue;
			out.add(c.getName());
		}
		return out;
	}

	private static boolean isMain(JavaClass c) {
		return c.getSource().map(s -> !s.getUri().toString().contains("/test-classes/")).orElse(true);
	}

	private static boolean reflective(JavaClass c) {
		return c.isAnnotatedWith("org.scijava.plugin.Plugin") || c.isAnnotatedWith("picocli.CommandLine$Command");
	}

	/** True if a class of another package (main or test) depends on {@code c} or one of its nested types. */
	private static boolean usedFromAnotherPackage(JavaClass c) {
		String pkg = c.getPackageName();
		for (JavaClass t : all) {
			if (!t.equals(c) && !t.getName().startsWith(c.getName() + "$"))
				continue;
			for (Dependency d : t.getDirectDependenciesToSelf())
				if (!d.getOriginClass().getPackageName().equals(pkg))
					return true;
		}
		return false;
	}

	@Test
	void everyPublicTypeOfTheLibraryIsDocumentedOrUsedFromAnotherPackage() {
		Set<String> unjustified = new TreeSet<>(unjustifiedPublicTypes("org.volseg", true));
		assertEquals(Set.of(), unjustified,
				"public types that only their own package uses: make them package-private, or name them in docs/api.md");
	}

	@Test
	void everyTypeTheApiPageNamesExistsAndIsPublic() {
		assertTrue(documented.size() >= 15, "docs/api.md names " + documented);
		List<String> wrong = documented.stream().filter(n -> !all.contain(n)
				|| !all.get(n).getModifiers().contains(JavaModifier.PUBLIC)).collect(Collectors.toList());
		assertEquals(List.of(), wrong, "docs/api.md names types that are missing or not public");
	}

	@Test
	void theRuleCatchesAPublicTypeNoOtherPackageUses() {
		Set<String> caught = unjustifiedPublicTypes("org.volseg.architecture.violations.api", false);
		assertEquals(Set.of("org.volseg.architecture.violations.api.PublicButUsedByNoOtherPackage"), caught);
		assertEquals(Set.of(), unjustifiedPublicTypes("org.volseg.architecture.violations.api", true), "test classes are not the library");
	}
}
