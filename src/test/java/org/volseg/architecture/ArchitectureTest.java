package org.volseg.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/architecture.md, checked on the compiled main classes: ImageJ and SciJava
 * only in {@code fiji}; TensorFlow only in {@code engine}, {@code nets}, {@code train}; the classes that
 * live in Fiji's private engine folder ({@code engine}, {@code nets}, {@code train}, {@code bundle})
 * named only by themselves and by the flat-class-path command line ({@code cli}), everything else
 * reaching them through {@code org.volseg.runtime.EngineRuntime}; and no cycle between packages.
 * Each rule is also run on {@code org.volseg.architecture.violations}, classes that break it on
 * purpose, to show that it can fail.
 */
class ArchitectureTest {

	private static final String[] ENGINE_JAR = { "org.volseg.engine..", "org.volseg.nets..", "org.volseg.train..",
			"org.volseg.bundle.." };

	private static JavaClasses main;
	private static JavaClasses violations;

	@BeforeAll
	static void importClasses() {
		main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages("org.volseg");
		violations = new ClassFileImporter().importPackages("org.volseg.architecture.violations");
	}

	static ArchRule imageJOnlyInFiji() {
		return noClasses().that().resideOutsideOfPackage("org.volseg.fiji..").should().dependOnClassesThat()
				.resideInAnyPackage("ij..", "org.scijava..").because("the library works without Fiji");
	}

	static ArchRule tensorFlowOnlyInTheEngine() {
		return noClasses().that().resideOutsideOfPackages("org.volseg.engine..", "org.volseg.nets..", "org.volseg.train..")
				.should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..")
				.because("TensorFlow lives in Fiji's private engine folder, behind org.volseg.runtime");
	}

	static ArchRule engineJarReachedThroughTheRuntimeOnly() {
		return noClasses().that().resideOutsideOfPackages(append(ENGINE_JAR, "org.volseg.cli..")).should()
				.dependOnClassesThat().resideInAnyPackage(ENGINE_JAR)
				.because("in Fiji those classes are in lib/volseg/, which Fiji's class path does not see");
	}

	static ArchRule noPackageCycles(String root) {
		return slices().matching(root + ".(**)").should().beFreeOfCycles();
	}

	@Test
	void imageJAndSciJavaOnlyInFiji() {
		imageJOnlyInFiji().check(main);
		assertFails(imageJOnlyInFiji(), "UsesImageJ");
	}

	@Test
	void tensorFlowOnlyInEngineNetsAndTrain() {
		tensorFlowOnlyInTheEngine().check(main);
		assertFails(tensorFlowOnlyInTheEngine(), "CallsBack");
	}

	@Test
	void theEngineJarIsReachedThroughTheRuntimeOnly() {
		engineJarReachedThroughTheRuntimeOnly().check(main);
		assertFails(engineJarReachedThroughTheRuntimeOnly(), "CallsBack");
	}

	@Test
	void noCyclesBetweenPackages() {
		noPackageCycles("org.volseg").check(main);
		assertFails(noPackageCycles("org.volseg.architecture.violations"), "violations.a");
	}

	private static void assertFails(ArchRule rule, String named) {
		EvaluationResult result = rule.evaluate(violations);
		assertTrue(result.hasViolation(), "the rule did not catch the planted violation: " + rule.getDescription());
		String report = result.getFailureReport().toString();
		assertTrue(report.contains(named), report);
		assertFalse(report.isEmpty());
	}

	private static String[] append(String[] a, String b) {
		String[] out = java.util.Arrays.copyOf(a, a.length + 1);
		out[a.length] = b;
		return out;
	}
}
