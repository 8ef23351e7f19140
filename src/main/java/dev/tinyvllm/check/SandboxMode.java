package dev.tinyvllm.check;

/**
 * How the student JVM is kept from the rest of the machine ({@code tutor check --sandbox}). Every mode
 * keeps the judge in its own process and ends the student's processes with the check; the modes differ
 * in what the student's code can reach meanwhile.
 */
public enum SandboxMode {
    /** The strongest mode this machine allows: bubblewrap, else (as root) an unprivileged user, else none. */
    AUTO("the strongest available"),
    /**
     * bubblewrap: no network, a private /tmp and process space, and a read-only view of only what the JVM
     * needs (the JDK, DJL and libtorch, the student API, the compiled classes, the check's inputs).
     */
    BWRAP("bubblewrap: no network, private /tmp, read-only view of the JDK, DJL and the compiled classes only"),
    /**
     * As root without bubblewrap: the student JVM runs as an unprivileged user of its own (in its own
     * network and process space where the kernel allows), so it cannot touch the tutor's or the
     * workspace's files; it can read what any user may read.
     */
    USER("an unprivileged user of its own; reads only what every user may read"),
    /** A plain child process: the judge stays apart, but the student's code can reach the machine. */
    NONE("none: a plain child process that can read and write what you can");

    private final String description;

    SandboxMode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The name as reports and the command line write it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
