package org.volseg.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@link VolSegCli} in-process and captures its output. */
final class CliRunner {

	final int exitCode;
	final String out;
	final String err;

	private CliRunner(int exitCode, String out, String err) {
		this.exitCode = exitCode;
		this.out = out;
		this.err = err;
	}

	static CliRunner run(String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		int code = VolSegCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new CliRunner(code, out.toString(), err.toString());
	}
}
