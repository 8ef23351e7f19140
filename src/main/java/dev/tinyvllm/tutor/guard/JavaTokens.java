package dev.tinyvllm.tutor.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Java-ish tokens of any text, source or prose, so that a tutor message and a Java file can be
 * compared token by token. Whitespace, quotes and backticks carry no token; a dot is a token only
 * when it joins two names (member access), never when it ends a sentence.
 */
public final class JavaTokens {

    private static final String[] OPERATORS = {"->", "::", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=",
        "*=", "/="};
    private static final String SINGLE = "()[]{};,=+-*/%<>!?:&|^~@";

    private JavaTokens() {}

    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '$')) {
                    i++;
                }
                out.add(text.substring(start, i));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || (text.charAt(i) == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))))) {
                    i++;
                }
                out.add(text.substring(start, i));
            } else if (c == '.') {
                boolean joins = i > 0 && i + 1 < n && isNameEnd(text.charAt(i - 1)) && isNameStart(text.charAt(i + 1));
                if (joins) {
                    out.add(".");
                }
                i++;
            } else {
                String op = operatorAt(text, i);
                if (op != null) {
                    out.add(op);
                    i += op.length();
                } else {
                    i++; // quotes, backticks, prose punctuation
                }
            }
        }
        return out;
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
     * the code does, not what it says about itself.
     */
    public static String stripComments(String source) {
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
                out.append(c).append(c);
                i = Math.min(n, j + 1);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
