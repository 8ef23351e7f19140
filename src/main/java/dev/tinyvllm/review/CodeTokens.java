package dev.tinyvllm.review;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into Java-like tokens (identifiers, numbers, string literals, operators), each with its
 * place in the text so that a finding can quote the original characters. Prose splits too: its words
 * become identifiers, which is what lets the same tokens compare a chat message with source code.
 */
public final class CodeTokens {

    /** One token and where it sits in the text, {@code end} exclusive. */
    public record Token(String text, int start, int end) {

        /** Punctuation or an operator, as opposed to a word, a number or a literal. */
        public boolean symbol() {
            char c = text.charAt(0);
            return !(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"');
        }
    }

    private static final String[] OPERATORS = {
        ">>>=", "<<=", ">>=", ">>>", "...", "->", "::", "==", "!=", "<=", ">=", "&&", "||", "++", "--",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>"
    };

    private CodeTokens() {}

    public static List<Token> of(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i))
                        || (text.charAt(i) == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))))) {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), start, i));
            } else if (c == '"') {
                // A string literal ends on its line; an unpaired quote in prose is just a symbol.
                int close = i + 1;
                while (close < n && text.charAt(close) != '"' && text.charAt(close) != '\n') {
                    close += text.charAt(close) == '\\' ? 2 : 1;
                }
                if (close < n && text.charAt(close) == '"') {
                    tokens.add(new Token(text.substring(i, close + 1), i, close + 1));
                    i = close + 1;
                } else {
                    tokens.add(new Token("\"", i, i + 1));
                    i++;
                }
            } else {
                String op = operatorAt(text, i);
                tokens.add(new Token(op, i, i + op.length()));
                i += op.length();
            }
        }
        return tokens;
    }

    /** Java source without its comments (they hold prose, not code), string literals kept. */
    public static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '"') {
                int close = i + 1;
                while (close < n && source.charAt(close) != '"' && source.charAt(close) != '\n') {
                    close += source.charAt(close) == '\\' ? 2 : 1;
                }
                close = Math.min(close + 1, n);
                out.append(source, i, close);
                i = close;
            } else if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String operatorAt(String text, int i) {
        for (String op : OPERATORS) {
            if (text.startsWith(op, i)) {
                return op;
            }
        }
        return String.valueOf(text.charAt(i));
    }
}
