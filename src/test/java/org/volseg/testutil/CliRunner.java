package org.volseg.testutil;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.volseg.cli.VolSegCli;

/**
 * Runs the {@code volseg} command line ({@link VolSegCli}) in-process and keeps its exit code,
 * standard output and standard error. The one CLI runner of the tests.
 */
public final class CliRunner {

	public final int exitCode;
	public final String out;
	public final String err;

	private CliRunner(int exitCode, String out, String err) {
		this.exitCode = exitCode;
		this.out = out;
		this.err = err;
	}

	public static CliRunner run(String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		int code = VolSegCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new CliRunner(code, out.toString(), err.toString());
	}

	/** Exit code, standard output and standard error, for assertion messages. */
	@Override
	public String toString() {
		return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
	}
}
