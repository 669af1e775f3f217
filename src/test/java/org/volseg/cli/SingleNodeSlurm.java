package org.volseg.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real single-node SLURM cluster for tests (Debian {@code slurm-wlm} and {@code munge}; the
 * recipe of {@code notes/slurm-single-node.md}): munged (as user {@code munge}, unless one already
 * answers), slurmctld and slurmd run in the foreground as child processes of the test JVM, with
 * {@code slurm.conf}, state, spool and logs under a folder the caller owns. Client commands get the
 * configuration through {@code SLURM_CONF}, so nothing under {@code /etc/slurm} is touched.
 * {@link #close} cancels every job of this cluster and stops the daemons this object started, by
 * their process ids. Needs root. Not thread-safe.
 */
final class SingleNodeSlurm implements AutoCloseable {

	private static final List<String> COMMANDS = List.of("munged", "munge", "unmunge", "setpriv", "slurmctld", "slurmd",
			"sbatch", "squeue", "sinfo", "scancel");

	private final Path dir;
	private final Path conf;
	private final List<Process> daemons = new ArrayList<>();

	private SingleNodeSlurm(Path dir) {
		this.dir = dir;
		this.conf = dir.resolve("slurm.conf");
	}

	/**
	 * Why SLURM cannot be started here (not root, or a command missing), or null if it can.
	 */
	static String unavailableReason() {
		List<String> missing = new ArrayList<>();
		for (String c : COMMANDS)
			if (which(c) == null)
				missing.add(c);
		if (!missing.isEmpty())
			return "SLURM cannot start: commands missing: " + missing + " (apt-get install slurm-wlm munge)";
		try {
			String uid = run(Map.of(), 10, "id", "-u").strip();
			if (!uid.equals("0"))
				return "SLURM cannot start: the test must run as root to start munged, slurmctld and slurmd (uid " + uid + ")";
		} catch (IOException e) {
			return "SLURM cannot start: " + e.getMessage();
		}
		return null;
	}

	/**
	 * Starts munge (when none answers), slurmctld and slurmd, and waits (60 s at most) until
	 * {@code sinfo} shows the node idle.
	 *
	 * @param dir an empty folder for the configuration, state, spool and logs
	 * @throws IOException if a daemon does not start (with its log)
	 */
	static SingleNodeSlurm start(Path dir) throws IOException, InterruptedException {
		SingleNodeSlurm s = new SingleNodeSlurm(Files.createDirectories(dir));
		try {
			s.startMunge();
			s.writeConf();
			s.daemon("slurmctld", which("slurmctld").toString(), "-D", "-f", s.conf.toString());
			s.daemon("slurmd", which("slurmd").toString(), "-D", "-f", s.conf.toString());
			if (!waitFor(60, () -> s.sinfoState().equals("idle")))
				throw new IOException("the SLURM node is not idle after 60 s (sinfo: " + s.sinfoState() + ")\n" + s.logs());
			return s;
		} catch (IOException | InterruptedException | RuntimeException e) {
			s.close();
			throw e;
		}
	}

	private void startMunge() throws IOException, InterruptedException {
		if (mungeWorks())
			return;
		Path key = Path.of("/etc/munge/munge.key");
		if (!Files.exists(key)) { // the Debian package normally creates it
			Files.createDirectories(key.getParent());
			byte[] bytes = new byte[1024];
			new SecureRandom().nextBytes(bytes);
			Files.write(key, bytes);
			Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
			run(Map.of(), 10, "chown", "-R", "munge:munge", key.getParent().toString());
		}
		Path socketDir = Path.of("/run/munge");
		Files.createDirectories(socketDir);
		run(Map.of(), 10, "chown", "munge:munge", socketDir.toString());
		daemon("munged", which("setpriv").toString(), "--reuid=munge", "--regid=munge", "--init-groups",
				which("munged").toString(), "--foreground");
		if (!waitFor(15, SingleNodeSlurm::mungeWorks))
			throw new IOException("munged does not answer after 15 s\n" + logs());
	}

	private static boolean mungeWorks() {
		try {
			return run(Map.of(), 10, "sh", "-c", "munge -n | unmunge").contains("Success");
		} catch (IOException e) {
			return false;
		}
	}

	private void writeConf() throws IOException {
		String host = run(Map.of(), 10, "hostname", "-s").strip();
		int cpus = Runtime.getRuntime().availableProcessors();
		long availableMb = 0;
		for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
			if (line.startsWith("MemAvailable:"))
				availableMb = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
		long memory = Math.max(256, availableMb / 2);
		for (String sub : List.of("state", "spool", "log"))
			Files.createDirectories(dir.resolve(sub));
		String text = String.join("\n", "ClusterName=volsegtest", "SlurmctldHost=" + host, "SlurmUser=root",
				"AuthType=auth/munge", "StateSaveLocation=" + dir.resolve("state"), "SlurmdSpoolDir=" + dir.resolve("spool"),
				"SlurmctldLogFile=" + dir.resolve("log/ctld.log"), "SlurmdLogFile=" + dir.resolve("log/d.log"),
				"SlurmctldPidFile=" + dir.resolve("ctld.pid"), "SlurmdPidFile=" + dir.resolve("d.pid"),
				"ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "JobAcctGatherType=jobacct_gather/none",
				"SelectType=select/cons_tres", "SelectTypeParameters=CR_Core", "ReturnToService=2",
				"NodeName=" + host + " CPUs=" + cpus + " RealMemory=" + memory + " State=UNKNOWN",
				"PartitionName=debug Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP", "");
		Files.writeString(conf, text);
	}

	private void daemon(String name, String... command) throws IOException {
		Path log = dir.resolve("log/" + name + ".out");
		Files.createDirectories(log.getParent());
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		pb.environment().put("SLURM_CONF", conf.toString());
		daemons.add(pb.start());
	}

	private String sinfoState() {
		try {
			return client("sinfo", "-h", "-o", "%t").strip();
		} catch (IOException e) {
			return e.getMessage();
		}
	}

	/** The environment client commands and jobs need ({@code SLURM_CONF}). */
	Map<String, String> environment() {
		return Map.of("SLURM_CONF", conf.toString());
	}

	/**
	 * Runs a SLURM client command ({@code sbatch}, {@code squeue}, ...) with this cluster's
	 * configuration, the test JVM's environment and {@code extraEnvironment}.
	 *
	 * @return its standard output
	 * @throws IOException if it fails (with its output) or takes more than 30 s
	 */
	String client(Map<String, String> extraEnvironment, String... command) throws IOException {
		Map<String, String> env = new HashMap<>(environment());
		env.putAll(extraEnvironment);
		return run(env, 30, command);
	}

	/** {@link #client(Map, String...)} with no extra environment. */
	String client(String... command) throws IOException {
		return client(Map.of(), command);
	}

	/**
	 * Array tasks of {@code jobIds} still queued or running, as {@code ID_TASK STATE} lines
	 * ({@code squeue -r}).
	 */
	List<String> tasks(String... jobIds) throws IOException {
		List<String> lines = new ArrayList<>();
		for (String line : client("squeue", "-h", "-r", "-o", "%i %T").split("\n")) {
			for (String id : jobIds)
				if (line.startsWith(id + "_"))
					lines.add(line.strip());
		}
		return lines;
	}

	/** The daemons' logs, for failure messages. */
	String logs() {
		StringBuilder b = new StringBuilder();
		try (var files = Files.list(dir.resolve("log"))) {
			for (Path p : (Iterable<Path>) files.sorted()::iterator)
				b.append("--- ").append(p.getFileName()).append(":\n").append(tail(p, 3000)).append('\n');
		} catch (IOException e) {
			b.append(e);
		}
		return b.toString();
	}

	static String tail(Path file, int chars) {
		try {
			String s = Files.readString(file, StandardCharsets.UTF_8);
			return s.length() <= chars ? s : s.substring(s.length() - chars);
		} catch (IOException e) {
			return "(" + e + ")";
		}
	}

	/** Cancels every job of this cluster (waiting 30 s at most), then stops the daemons it started. */
	@Override
	public void close() {
		try {
			if (!daemons.isEmpty() && Files.exists(conf)) {
				client("scancel", "--user=root");
				waitFor(30, () -> {
					try {
						return client("squeue", "-h").isBlank();
					} catch (IOException e) {
						return true;
					}
				});
			}
		} catch (IOException | RuntimeException e) {
			System.err.println("SingleNodeSlurm: scancel failed: " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		for (int i = daemons.size() - 1; i >= 0; i--) { // slurmd, slurmctld, munged
			Process p = daemons.get(i);
			p.destroy(); // SIGTERM
			try {
				if (!p.waitFor(15, TimeUnit.SECONDS)) {
					p.destroyForcibly();
					p.waitFor(5, TimeUnit.SECONDS);
				}
			} catch (InterruptedException e) {
				p.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		daemons.clear();
	}

	/** Polls {@code condition} every 200 ms for at most {@code seconds}; true once it held. */
	static boolean waitFor(int seconds, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean())
				return true;
			Thread.sleep(200);
		}
		return condition.getAsBoolean();
	}

	private static String run(Map<String, String> env, int seconds, String... command) throws IOException {
		Path exe = which(command[0]);
		List<String> cmd = new ArrayList<>(List.of(command));
		if (exe != null)
			cmd.set(0, exe.toString());
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().putAll(env);
		Process p = pb.start();
		p.getOutputStream().close();
		try {
			byte[] out = p.getInputStream().readAllBytes(); // ends when the command closes its output
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IOException(String.join(" ", command) + ": no answer in " + seconds + " s");
			}
			String text = new String(out, StandardCharsets.UTF_8);
			if (p.exitValue() != 0)
				throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text);
			return text;
		} catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException(String.join(" ", command) + ": interrupted", e);
		}
	}

	/** The executable on the PATH, /usr/sbin or /sbin, or null. */
	static Path which(String name) {
		List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
		for (String d : dirs) {
			if (d.isEmpty())
				continue;
			Path p = Path.of(d, name);
			if (Files.isRegularFile(p) && Files.isExecutable(p))
				return p;
		}
		return null;
	}
}
