package dev.cairn.pipelines;

import java.util.Optional;

/** A declared pipeline parameter: its type and its default value, absent when the parameter is required. */
public record ParamSpec(String name, ParamType type, Optional<Object> defaultValue) {
    public ParamSpec {
        defaultValue = defaultValue.map(value -> type.coerce(name, value));
    }
}
