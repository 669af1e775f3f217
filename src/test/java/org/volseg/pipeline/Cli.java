package org.volseg.pipeline;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.volseg.cli.VolSegCli;

/** Runs the command line in-process and keeps its exit code, standard output and error. */
final class Cli {

	final int exitCode;
	final String out;
	final String err;

	private Cli(int exitCode, String out, String err) {
		this.exitCode = exitCode;
		this.out = out;
		this.err = err;
	}

	static Cli run(String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		int code = VolSegCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Cli(code, out.toString(), err.toString());
	}

	@Override
	public String toString() {
		return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
	}
}
