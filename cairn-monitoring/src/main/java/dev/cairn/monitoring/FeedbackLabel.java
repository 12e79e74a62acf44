package dev.cairn.monitoring;

import dev.cairn.core.CairnException;

/** The ground truth of one logged prediction, keyed by its request id; numbers and booleans as text. */
public record FeedbackLabel(String requestId, String label) {
    public FeedbackLabel {
        CairnException.requireArgument(
                requestId != null && !requestId.isBlank() && requestId.length() <= 200,
                "request_id must be 1-200 characters; got '" + requestId + "'");
        CairnException.requireArgument(
                label != null && !label.isBlank() && label.length() <= 200,
                "label of request " + requestId + " must be 1-200 characters; got '" + label + "'");
    }
}
