package dev.tinyvllm.steps.week1.generate;

import dev.tinyvllm.check.Tag;

/** The diagnoses of week1/generate; the guide's {@code ## Tags} asks about each. */
public enum GenerateTag implements Tag {
    /** greedy or chat hands back the prompt along with the answer. */
    PROMPT_RETURNED,
    /** The next token is read from a row other than the last position's. */
    WRONG_ROW,
    /** The chosen token is not the best score of the last row. */
    NOT_ARGMAX,
    /** The loop goes on after the model chose a stop id. */
    STOP_IGNORED,
    /** The stop id that ends the answer is returned as part of it. */
    STOP_TOKEN_RETURNED,
    /** The loop ends one token early or late against maxNewTokens. */
    LIMIT_WRONG,
    /** Later calls feed the model only the newest token. */
    LAST_TOKEN_ONLY,
    /** Every call feeds the model the prompt alone. */
    SEQUENCE_NOT_EXTENDED,
    /** Ids reach onToken late, twice, or not at all. */
    TOKENS_NOT_STREAMED,
    /** The student's own model already disagrees with the reference on the prompt. */
    MODEL_DIVERGES,
    /** chat sends the bare message instead of the chat template. */
    TEMPLATE_MISSING,
    /** The stop marker ends up in chat's text. */
    STOP_TOKEN_IN_TEXT,
    /** Tokens are decoded one at a time, cutting characters made of several tokens. */
    DECODED_TOKEN_BY_TOKEN,
    /** onText receives the whole text so far each time instead of the new part. */
    TEXT_REPEATED,
    /** The text does not reach onText while the model works, or not all of it. */
    TEXT_NOT_STREAMED
}
