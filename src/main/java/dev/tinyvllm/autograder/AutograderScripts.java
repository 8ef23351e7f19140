package dev.tinyvllm.autograder;

/**
 * The two scripts Gradescope runs. They only find a JDK and start the tutor: everything that decides a
 * grade is Java ({@code tutor autograder run}). They live here rather than in src/main/resources because
 * that folder is filtered by Maven, which would rewrite their {@code ${...}}.
 */
final class AutograderScripts {

    private AutograderScripts() {}

    /** Run once, as root, while Gradescope builds the image; AUTOGRADER_ROOT moves /autograder (tests). */
    static final String SETUP = """
            #!/usr/bin/env bash
            # Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu).
            # It installs what the tutor needs, hides the tutor's files from other users, and grades the
            # bundled reference solutions once, so a broken installation fails here and not on a student.
            set -euo pipefail

            root="${AUTOGRADER_ROOT:-/autograder}"
            source_dir="$root/source"

            # The home of a JDK 17 or newer: the tutor compiles the student's code, so a runtime alone will not do.
            find_jdk() {
              local javac version
              for javac in "${JAVA_HOME:+$JAVA_HOME/bin/javac}" "$(command -v javac 2>/dev/null || true)" /usr/lib/jvm/*/bin/javac; do
                [ -n "$javac" ] && [ -x "$javac" ] || continue
                version="$("$javac" -version 2>&1 | sed -n 's/^javac \\([0-9][0-9]*\\).*/\\1/p')"
                if [ -n "$version" ] && [ "$version" -ge 17 ]; then
                  dirname "$(dirname "$(readlink -f "$javac")")"
                  return 0
                fi
              done
              return 1
            }

            apt_install() {
              DEBIAN_FRONTEND=noninteractive apt-get update -q && \\
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
            }

            if ! jdk="$(find_jdk)"; then
              echo "setup.sh: installing a JDK 17"
              apt_install openjdk-17-jdk-headless
              jdk="$(find_jdk)" || { echo "setup.sh: no JDK 17 or newer after installing one" >&2; exit 1; }
            fi
            echo "setup.sh: JDK $jdk"

            # bubblewrap is the strongest sandbox; without it (or where the container forbids it) the tutor runs
            # the student's code as an unprivileged user of its own instead, so a failure here is not fatal.
            if ! command -v bwrap >/dev/null 2>&1; then
              echo "setup.sh: installing bubblewrap"
              apt_install bubblewrap || echo "setup.sh: bubblewrap could not be installed; the student's code will run as an unprivileged user"
            fi

            # The tutor jar holds the reference solutions and the checks. The student's code may run as another
            # user (--sandbox user), so nothing of the autograder's may be readable by anyone but root.
            printf '%s\\n' "$jdk" > "$source_dir/java_home"
            chmod 755 "$source_dir/run_autograder"
            chmod -R go-rwx "$source_dir"
            chmod 700 "$source_dir"

            "$jdk/bin/java" -Dai.djl.offline=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${TUTOR_JAVA_OPTS:-} \\
              -cp "$source_dir/tutor/tutor.jar:$source_dir/tutor/extra/*" dev.tinyvllm.cli.Main \\
              autograder run --root "$root" --reference
            """;

    /** Run for every submission. The results are written by the tutor's own JVM after the student's code has ended. */
    static final String RUN = """
            #!/usr/bin/env bash
            # Gradescope runs this for every submission: the tutor copies the expected files out of
            # submission/ into a fresh workspace, grades them in its sandbox, and writes results/results.json.
            set -uo pipefail

            root="${AUTOGRADER_ROOT:-/autograder}"
            source_dir="$root/source"
            results="$root/results/results.json"

            java_bin=java
            if [ -s "$source_dir/java_home" ]; then
              java_bin="$(cat "$source_dir/java_home")/bin/java"
            fi

            mkdir -p "$root/results"
            rm -f "$results"
            "$java_bin" -Dai.djl.offline=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${TUTOR_JAVA_OPTS:-} \\
              -cp "$source_dir/tutor/tutor.jar:$source_dir/tutor/extra/*" dev.tinyvllm.cli.Main \\
              autograder run --root "$root"
            status=$?

            # The tutor exits 0 only once it has written the results itself; anything else (no JVM, a crash)
            # must still leave Gradescope a results.json, and one that says whose fault it is.
            if [ "$status" -ne 0 ]; then
              printf '%s\\n' '{"score": 0, "output": "The autograder itself failed before it could grade this submission; this is not a verdict on your code. Please tell your instructor.", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}' > "$results"
            fi
            exit "$status"
            """;
}
