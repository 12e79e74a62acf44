package dev.cairn.tracking;

import java.util.Optional;
import java.util.OptionalLong;

/** A change to a run's attributes; absent fields are left as they are. */
public record RunUpdate(Optional<RunStatus> status, OptionalLong endTime, Optional<String> runName) {}
