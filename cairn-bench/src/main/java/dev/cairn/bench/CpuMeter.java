package dev.cairn.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by the server process and by this driver between two points. On a shared machine
 * CPU time per call says what a measure costs independently of how much CPU others leave us.
 */
final class CpuMeter {
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ, 100 on Linux

    private final long serverPid;
    private final long serverStart;
    private final long driverStart;

    private CpuMeter(long serverPid) {
        this.serverPid = serverPid;
        this.serverStart = serverCpuNanos(serverPid);
        this.driverStart = driverCpuNanos();
    }

    static CpuMeter start(long serverPid) {
        return new CpuMeter(serverPid);
    }

    /** E.g. {@code server CPU 0.31 ms per call, driver CPU 0.05 ms per call}. */
    String perCall(long calls, String unit) {
        double server = (serverCpuNanos(serverPid) - serverStart) / 1e6 / calls;
        double driver = (driverCpuNanos() - driverStart) / 1e6 / calls;
        return Figure.format("server CPU %.3f ms per %s, driver CPU %.3f ms per %s", server, unit, driver, unit);
    }

    /** utime + stime of a process from {@code /proc/PID/stat}, fields 14 and 15 after the command name. */
    static long serverCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return (long) (ticks * TICK_NANOS);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
        }
    }

    private static long driverCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
