package dev.tinyvllm.cli;

/** What the terminal we print to can do. */
final class Terminals {

    private Terminals() {}

    /** Colour only for a person at a real terminal, and never when NO_COLOR is set. */
    static boolean colorful() {
        String term = System.getenv("TERM");
        return System.console() != null && System.getenv("NO_COLOR") == null && term != null && !term.equals("dumb");
    }
}
