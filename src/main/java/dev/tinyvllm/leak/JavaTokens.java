package dev.tinyvllm.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Java-ish tokens of any text, source or prose, so that a tutor message and a Java file can be
 * compared token by token. Whitespace, quotes and backticks carry no token; a dot is a token only
 * when it joins two names (member access), never when it ends a sentence. Each token keeps its place
 * in the text, so that a finding can quote the characters as they were written.
 */
public final class JavaTokens {

    /** One token and where it sits in the text, {@code end} exclusive. */
    public record Token(String text, int start, int end) {

        /** Punctuation or an operator, as opposed to a word or a number. */
        public boolean symbol() {
            char c = text.charAt(0);
            return !(Character.isLetterOrDigit(c) || c == '_' || c == '$');
        }
    }

    private static final String[] OPERATORS = {">>>=", "<<=", ">>=", ">>>", "->", "::", "==", "!=", "<=", ">=", "&&",
        "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>"};
    private static final String SINGLE = "()[]{};,=+-*/%<>!?:&|^~@";

    private JavaTokens() {}

    public static List<Token> of(String text) {
        List<Token> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (isNameStart(c) || c == '$') {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '$')) {
                    i++;
                }
                out.add(new Token(text.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || (text.charAt(i) == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))))) {
                    i++;
                }
                out.add(new Token(text.substring(start, i), start, i));
            } else if (c == '.') {
                if (i > 0 && i + 1 < n && isNameEnd(text.charAt(i - 1)) && isNameStart(text.charAt(i + 1))) {
                    out.add(new Token(".", i, i + 1));
                }
                i++;
            } else {
                String op = operatorAt(text, i);
                if (op != null) {
                    out.add(new Token(op, i, i + op.length()));
                    i += op.length();
                } else {
                    i++; // quotes, backticks, prose punctuation
                }
            }
        }
        return out;
    }

    /** The tokens' texts only. */
    public static List<String> texts(String text) {
        return of(text).stream().map(Token::text).toList();
    }

    private static String operatorAt(String text, int i) {
        for (String op : OPERATORS) {
            if (text.startsWith(op, i)) {
                return op;
            }
        }
        char c = text.charAt(i);
        return SINGLE.indexOf(c) >= 0 ? String.valueOf(c) : null;
    }

    private static boolean isNameEnd(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ')' || c == ']';
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    /**
     * Java source without its comments, with string and char literals emptied: what is left is what
     * the code does, not what it says about itself (and no brace inside a literal confuses a reader
     * that counts braces).
     */
    public static String stripComments(String source) {
        return stripComments(source, content -> false);
    }

    /** The same, but a string literal whose content {@code keep} accepts keeps it (text blocks never do). */
    public static String stripComments(String source, Predicate<String> keep) {
        StringBuilder out = new StringBuilder(source.length());
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                if (c == '"' && source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    i = end < 0 ? n : end + 3;
                    out.append("\"\"");
                    continue;
                }
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                String content = source.substring(i + 1, Math.min(j, n));
                out.append(c).append(c == '"' && keep.test(content) ? content : "").append(c);
                i = Math.min(n, j + 1);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
