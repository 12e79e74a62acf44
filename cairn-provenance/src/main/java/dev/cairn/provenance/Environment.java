package dev.cairn.provenance;

/** The Java runtime and operating system a run executed on. */
public record Environment(
        String javaVersion, String javaVendor, String vmName, String osName, String osVersion, String osArch) {

    public static Environment current() {
        return new Environment(
                System.getProperty("java.version", ""),
                System.getProperty("java.vendor", ""),
                System.getProperty("java.vm.name", ""),
                System.getProperty("os.name", ""),
                System.getProperty("os.version", ""),
                System.getProperty("os.arch", ""));
    }
}
